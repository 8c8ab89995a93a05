/**
 * The named faults of the simulated cluster (issue 3), parsed from `name` or
 * `name:arg[:arg]` specs, toggled at start (`--fault`) or at run time (control endpoint).
 */
import type { FaultSet } from './contracts.js';

/** Every fault name and how many arguments it takes. */
export const faultCatalog = {
  'scheduler-down': 0,
  'nodes-unschedulable': 0,
  'node-notready': 1,
  'cni-down': 0,
  'cni-cross-node': 0,
  'endpoints-controller-down': 0,
  'coredns-down': 0,
  'coredns-nxdomain': 0,
  'kube-proxy-down': 0,
  'kube-proxy-no-balance': 0,
  'nodeport-blocked': 1,
  'kubelet-rbac-denied': 0,
  'controller-manager-down': 0,
  'kubelet-no-restart': 0,
  'apiserver-unreachable': 0,
  'token-invalid': 0,
  'rbac-missing': 2,
} as const satisfies Record<string, number>;

export type FaultName = keyof typeof faultCatalog;

const usage: Record<number, string> = { 1: ':<arg>', 2: ':<arg>:<arg>' };

export class UnknownFaultError extends Error {}

const RBAC_VERB = /^(\*|[a-z]+)$/;
/** `pods`, `pods/exec`, `deployments.apps`, `*`. */
const RBAC_RESOURCE = /^(\*|[a-z0-9-]+(\.[a-z0-9.-]+)?)(\/[a-z]+)?$/;
/** `/metrics`, `/logs/*`: a non-resource URL, matched as RBAC `nonResourceURLs` (trailing `*` = prefix). */
const RBAC_PATH = /^\/[^\s*]*\*?$/;

/** Argument checks beyond the count, per fault: a message saying what is wrong, or undefined. */
const argumentProblems: Partial<Record<FaultName, (args: string[]) => string | undefined>> = {
  'rbac-missing': ([verb = '', resource = '']) => {
    if (!RBAC_VERB.test(verb)) return `verb "${verb}" is not a Kubernetes verb (create, get, list, ... or *)`;
    if (resource.startsWith('/')) {
      return RBAC_PATH.test(resource)
        ? undefined
        : `non-resource path "${resource}" must be a URL path, optionally ending in * (e.g. /metrics)`;
    }
    return RBAC_RESOURCE.test(resource)
      ? undefined
      : `resource "${resource}" must be <resource>[.<group>][/<subresource>] or a non-resource path such as /metrics`;
  },
};

export interface ParsedFault {
  name: FaultName;
  args: string[];
  spec: string;
}

/** Parses and validates `name[:arg[:arg]]`; throws a message that lists the known names. */
export function parseFault(spec: string): ParsedFault {
  const [name = '', ...args] = spec.trim().split(':');
  if (!Object.hasOwn(faultCatalog, name)) {
    const known = Object.entries(faultCatalog)
      .map(([n, arity]) => n + (usage[arity] ?? ''))
      .join(', ');
    throw new UnknownFaultError(`unknown fault "${name}"; known faults: ${known}`);
  }
  const faultName = name as FaultName;
  const arity = faultCatalog[faultName];
  if (args.length !== arity || args.some((a) => a.length === 0)) {
    throw new UnknownFaultError(`fault "${faultName}" takes ${arity} argument(s): ${faultName}${usage[arity] ?? ''}`);
  }
  const problem = argumentProblems[faultName]?.(args);
  if (problem) throw new UnknownFaultError(`fault "${faultName}": ${problem}`);
  return { name: faultName, args, spec: [faultName, ...args].join(':') };
}

export class SimFaultSet implements FaultSet {
  private readonly on = new Map<string, ParsedFault>();
  private readonly listeners = new Set<() => void>();

  constructor(initial: string[] = []) {
    for (const spec of initial) {
      const f = parseFault(spec);
      this.on.set(f.spec, f);
    }
  }

  /** True when the fault is on: by bare name (any arguments) or by full spec. */
  has(nameOrSpec: string): boolean {
    if (this.on.has(nameOrSpec)) return true;
    for (const f of this.on.values()) if (f.name === nameOrSpec) return true;
    return false;
  }

  /**
   * Arguments of each enabled instance of a fault, one entry per instance, joined by ':'
   * when the fault takes several: node-notready → ['worker-1'], rbac-missing → ['create:pods/exec'].
   */
  args(name: string): string[] {
    return this.instances(name).map((args) => args.join(':'));
  }

  /** Arguments of each enabled instance, unjoined. */
  instances(name: string): string[][] {
    return [...this.on.values()].filter((f) => f.name === name).map((f) => f.args);
  }

  enable(spec: string): void {
    const f = parseFault(spec);
    if (this.on.has(f.spec)) return;
    this.on.set(f.spec, f);
    this.changed();
  }

  disable(spec: string): void {
    const f = parseFault(spec);
    if (!this.on.delete(f.spec)) return;
    this.changed();
  }

  list(): string[] {
    return [...this.on.keys()];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

export function createFaultSet(initial: string[] = []): SimFaultSet {
  return new SimFaultSet(initial);
}
