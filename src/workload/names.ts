import type { WorkloadHandle, WorkloadOptions } from './types.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubeproof';
export const RUN_ID_LABEL = 'kubeproof.io/run-id';
export const EXPIRES_AT_ANNOTATION = 'kubeproof.io/expires-at';
/** Renewed by the live run (a lease): a namespace whose heartbeat lapsed belongs to a dead process. */
export const HEARTBEAT_ANNOTATION = 'kubeproof.io/heartbeat';
/** Every run namespace is named `kubeproof-…`; the sweep touches nothing else. */
export const NAMESPACE_PREFIX = 'kubeproof-';
/** The web pods' app label; a run's selector adds its run id (WorkloadHandle.webSelector). */
export const WEB_SELECTOR = { app: 'web' } as const;
/** The restart probe pod's name in the run's own namespace. */
export const RESTART_PROBE_POD = 'restart-probe';
/** The Secret holding `options.images.pullSecret` in the run's own namespace, when one is given. */
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

/**
 * The names of everything a run creates, derived from its id. In its own namespace (the default)
 * the objects keep the guide's short names (`web`, `client`); in an operator's shared namespace
 * (`options.namespace`) every name carries the run's prefix so concurrent runs and the
 * operator's own objects never collide, and the web pods are selected by the run id as well as by
 * `app=web`. Either way every object carries the run-id label.
 */
export function workloadHandle(runId: string, replicas: number, sharedNamespace?: string): WorkloadHandle {
  const own = namespaceFor(runId);
  const name = (base: string) => (sharedNamespace ? `${own}-${base}` : base);
  const runLabels = { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runIdLabelValue(runId) };
  // In its own namespace `app=web` selects only the run's pods; in a shared one the run id must too.
  const webSelector = sharedNamespace
    ? { ...WEB_SELECTOR, [RUN_ID_LABEL]: runIdLabelValue(runId) }
    : { ...WEB_SELECTOR };
  return {
    namespace: sharedNamespace ?? own,
    sharedNamespace: sharedNamespace !== undefined,
    runLabels,
    webSelector,
    webLabelSelector: labelSelectorOf(webSelector),
    deploymentName: name('web'),
    serviceName: name('web'),
    clientPodName: name('client'),
    restartProbePodName: name(RESTART_PROBE_POD),
    pullSecretName: sharedNamespace ? `${own}-pull` : PULL_SECRET,
    replicas,
    requestLog: [],
  };
}

/** `{a: '1', b: '2'}` → `a=1,b=2`, a list call's labelSelector. */
export const labelSelectorOf = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** The operator's namespace a run works in (`options.namespace` as a name), or undefined: its own. */
export const sharedNamespaceOf = (options: Pick<WorkloadOptions, 'namespace'>): string | undefined =>
  typeof options.namespace === 'string' ? options.namespace : undefined;

/**
 * What a run that was running when the service died left behind, from its stored options: its
 * own namespace (the next audit's sweep removes it once the heartbeat lapses), or its objects in
 * the operator's namespace (nothing sweeps those: the detail says how to delete them).
 */
export function leftByInterruptedRun(run: { id: string; options: Record<string, unknown> }): {
  namespace: string;
  detail: string;
} {
  const shared = run.options.namespace;
  if (typeof shared !== 'string') {
    return {
      namespace: namespaceFor(run.id),
      detail:
        'the service stopped mid-run and could not delete it; the next audit of this cluster removes it once its heartbeat lapses',
    };
  }
  const selector = labelSelectorOf({ [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: runIdLabelValue(run.id) });
  return {
    namespace: shared,
    detail: `the service stopped mid-run: this run's objects remain in namespace ${shared} (the namespace itself is the operator's); delete them with kubectl delete deployments,services,pods -n ${shared} -l ${selector}`,
  };
}
