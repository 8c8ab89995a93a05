/**
 * A CheckContext around a scripted ClusterAccess, for check tests that need a cluster shape the
 * simulation does not (yet) offer: objects are served from a table keyed `resource namespace`,
 * exec answers come from a function of the command, and every call is recorded. Calls a test did
 * not script throw, so a check that starts calling something new cannot pass unnoticed.
 */
import { AuditOptions } from '../../../src/checks/options.js';
import type { CheckContext, CheckOutcome } from '../../../src/checks/types.js';
import {
  type ClusterAccess,
  ClusterError,
  type ExecResult,
  type KubeObject,
  type ListSelector,
} from '../../../src/kube/cluster-access.js';
import { workloadHandle } from '../../../src/workload/names.js';
import { runShellScript } from './fake-shell.js';

export interface FakeSpec {
  /** `pods kubeproof-run1`, `nodes`, `daemonsets kube-system` → objects. */
  objects?: Record<string, KubeObject[]>;
  /** `resource namespace` keys whose list/get is denied to kubeproof (403 from RBAC). */
  forbidden?: string[];
  exec?: (pod: string, command: string[]) => ExecResult | Promise<ExecResult>;
  options?: Record<string, unknown>;
  results?: Record<string, CheckOutcome>;
}

export const NS = 'kubeproof-run1';

const key = (resource: string, namespace?: string) => (namespace ? `${resource} ${namespace}` : resource);

function matchesLabels(o: KubeObject, selector?: string): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k = '', v] = term.split('=');
    return o.metadata?.labels?.[k] === v;
  });
}

export function fakeContext(spec: FakeSpec): { ctx: CheckContext; calls: string[] } {
  const calls: string[] = [];
  const table = spec.objects ?? {};
  const deny = (resource: string, namespace?: string) => {
    if (spec.forbidden?.includes(key(resource, namespace)))
      throw new ClusterError('forbidden', `${resource} is forbidden: User "kubeproof" cannot list`, 403, 'Forbidden');
  };
  const unscripted = (name: string) => () => {
    throw new Error(`fake cluster: ${name} was not scripted`);
  };
  const cluster: ClusterAccess = {
    server: 'https://127.0.0.1:6443',
    version: async () => ({ major: '1', minor: '32', gitVersion: 'v1.32.0' }),
    canI: unscripted('canI'),
    rulesReview: unscripted('rulesReview'),
    async get(resource, name, namespace) {
      calls.push(`get ${key(resource, namespace)}/${name}`);
      deny(resource, namespace);
      const found = (table[key(resource, namespace)] ?? []).find((o) => o.metadata?.name === name);
      if (!found) throw new ClusterError('not-found', `${resource} "${name}" not found`, 404, 'NotFound');
      return found;
    },
    async list(resource, selector: ListSelector = {}) {
      calls.push(`list ${key(resource, selector.namespace)}`);
      deny(resource, selector.namespace);
      const items = (table[key(resource, selector.namespace)] ?? []).filter((o) =>
        matchesLabels(o, selector.labelSelector),
      );
      return { items, resourceVersion: '1' };
    },
    create: unscripted('create'),
    patch: unscripted('patch'),
    delete: unscripted('delete'),
    waitFor: unscripted('waitFor'),
    async exec(req) {
      const script = spec.exec;
      if (!script) throw new Error('fake cluster: exec was not scripted');
      const one = (argv: string[]) => {
        calls.push(`exec ${req.pod} ${argv.join(' ')}`);
        return script(req.pod, argv);
      };
      // A batch (sh -c) is answered command by command, as the shell starts them.
      const [sh, flag, source] = req.command;
      if (sh === 'sh' && flag === '-c' && source !== undefined) return runShellScript(source, one);
      return one([...req.command]);
    },
    logs: unscripted('logs'),
    followLogs: unscripted('followLogs'),
    portForwardGet: unscripted('portForwardGet'),
    portForwardGets: unscripted('portForwardGets'),
    rawGet: unscripted('rawGet'),
    close() {},
  };
  const options = AuditOptions.parse(spec.options ?? {});
  const workload = workloadHandle('run1', options.replicas);
  const ctx: CheckContext = {
    cluster,
    workload,
    namespace: workload.namespace,
    options,
    signal: new AbortController().signal,
    clock: { now: () => new Date() },
    log: { info() {}, warn() {}, error() {} },
    results: new Map(Object.entries(spec.results ?? {})),
  };
  return { ctx, calls };
}

/** A Running, Ready web pod. */
export function webPod(name: string, node: string, ips: string[]): KubeObject {
  return {
    metadata: { name, namespace: NS, labels: { app: 'web' } },
    spec: { nodeName: node },
    status: {
      phase: 'Running',
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export function node(name: string, podCIDRs: string[], internalIps: string[], extra: KubeObject = {}): KubeObject {
  return {
    metadata: { name, ...(extra.metadata ?? {}) },
    spec: { ...(podCIDRs.length ? { podCIDR: podCIDRs[0], podCIDRs } : {}), ...(extra.spec ?? {}) },
    status: {
      addresses: internalIps.map((address) => ({ type: 'InternalIP', address })),
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });
