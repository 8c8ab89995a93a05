/**
 * The named faults of the simulated cluster, parsed from `name` or `name:arg[:arg]` specs
 * (the names and arities are in fault-catalog.ts), toggled at start (`--fault`) or at run
 * time (control endpoint).
 */
import type { FaultSet } from './contracts.js';
import { FAULT_NAMES, type FaultName, type FaultSpec, faultCatalog, faultUsage } from './fault-catalog.js';

export { FAULT_NAMES, type FaultName, type FaultSpec, faultCatalog, faultUsage } from './fault-catalog.js';

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
  spec: FaultSpec;
}

/** Parses and validates `name[:arg[:arg]]` from untrusted text; throws a message that lists the known names. */
export function parseFault(spec: string): ParsedFault {
  const [name = '', ...args] = spec.trim().split(':');
  if (!Object.hasOwn(faultCatalog, name)) {
    throw new UnknownFaultError(`unknown fault "${name}"; known faults: ${FAULT_NAMES.map(faultUsage).join(', ')}`);
  }
  const faultName = name as FaultName;
  const arity = faultCatalog[faultName].args.length;
  if (args.length !== arity || args.some((a) => a.length === 0)) {
    throw new UnknownFaultError(`fault "${faultName}" takes ${arity} argument(s): ${faultUsage(faultName)}`);
  }
  const problem = argumentProblems[faultName]?.(args);
  if (problem) throw new UnknownFaultError(`fault "${faultName}": ${problem}`);
  // The shape was just checked against the catalog, which is what FaultSpec is derived from.
  return { name: faultName, args, spec: [faultName, ...args].join(':') as FaultSpec };
}

export interface FaultSetOptions {
  /** Why a fault cannot be switched on in this cluster (its profile lacks the component), or undefined. */
  refuse?: (name: FaultName) => string | undefined;
  /**
   * RBAC denials the cluster has by design (a profile's audit user may not GET /metrics), reported
   * as `rbac-missing` instances but not listed as faults: they cannot be switched off.
   */
  standingRbacDenials?: Array<[verb: string, resource: string]>;
}

export class SimFaultSet implements FaultSet {
  private readonly on = new Map<FaultSpec, ParsedFault>();
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: readonly FaultSpec[] = [],
    private readonly options: FaultSetOptions = {},
  ) {
    for (const spec of initial) {
      const f = this.accept(spec);
      this.on.set(f.spec, f);
    }
  }

  /** Parses a spec and refuses a fault the cluster's profile has no component for. */
  private accept(spec: FaultSpec): ParsedFault {
    const f = parseFault(spec);
    const refusal = this.options.refuse?.(f.name);
    if (refusal) throw new UnknownFaultError(refusal);
    return f;
  }

  /** True when the fault is on: by bare name (any arguments) or by full spec. */
  has(nameOrSpec: FaultName | FaultSpec): boolean {
    if (this.on.has(nameOrSpec as FaultSpec)) return true;
    for (const f of this.on.values()) if (f.name === nameOrSpec) return true;
    return false;
  }

  /**
   * Arguments of each enabled instance of a fault, one entry per instance, joined by ':'
   * when the fault takes several: node-notready → ['worker-1'], rbac-missing → ['create:pods/exec'].
   */
  args(name: FaultName): string[] {
    return this.instances(name).map((args) => args.join(':'));
  }

  /** Arguments of each enabled instance, unjoined. */
  instances(name: FaultName): string[][] {
    const standing = name === 'rbac-missing' ? (this.options.standingRbacDenials ?? []).map((d) => [...d]) : [];
    return [...standing, ...[...this.on.values()].filter((f) => f.name === name).map((f) => f.args)];
  }

  enable(spec: FaultSpec): void {
    const f = this.accept(spec);
    if (this.on.has(f.spec)) return;
    this.on.set(f.spec, f);
    this.changed();
  }

  disable(spec: FaultSpec): void {
    const f = parseFault(spec);
    if (!this.on.delete(f.spec)) return;
    this.changed();
  }

  list(): FaultSpec[] {
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

export function createFaultSet(initial: readonly FaultSpec[] = [], options: FaultSetOptions = {}): SimFaultSet {
  return new SimFaultSet(initial, options);
}
