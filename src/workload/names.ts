import type { WorkloadHandle } from './types.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubeproof';
export const RUN_ID_LABEL = 'kubeproof.io/run-id';
export const EXPIRES_AT_ANNOTATION = 'kubeproof.io/expires-at';
/** Renewed by the live run (a lease): a namespace whose heartbeat lapsed belongs to a dead process. */
export const HEARTBEAT_ANNOTATION = 'kubeproof.io/heartbeat';
/** Every run namespace is named `kubeproof-…`; the sweep touches nothing else. */
export const NAMESPACE_PREFIX = 'kubeproof-';
/** What selects the web pods: the Deployment's selector, both Services', and the checks' pod lists. */
export const WEB_SELECTOR = { app: 'web' } as const;
/** WEB_SELECTOR as a list call's labelSelector. */
export const WEB_LABEL_SELECTOR = 'app=web';
export const WEB_LABELS = { ...WEB_SELECTOR, [MANAGED_BY_LABEL]: MANAGED_BY } as const;
export const RESTART_PROBE_POD = 'restart-probe';
/** The Secret holding `options.images.pullSecret`, when one is given. */
export const PULL_SECRET = 'kubeproof-pull';

/** `kubeproof-<short id>`: the run id's first 8 DNS-safe characters. */
export function namespaceFor(runId: string): string {
  const short =
    runId
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 8) || 'run';
  return `kubeproof-${short}`;
}

/** Label values must be ≤63 characters of [A-Za-z0-9._-]. */
export function runIdLabelValue(runId: string): string {
  return (
    runId
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 63)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'run'
  );
}

/** The names of everything a run creates, derived from its id. */
export function workloadHandle(runId: string, replicas: number): WorkloadHandle {
  return {
    namespace: namespaceFor(runId),
    deploymentName: 'web',
    serviceName: 'web',
    nodePortServiceName: 'web-nodeport',
    clientPodName: 'client',
    replicas,
    requestLog: [],
  };
}
