import type { RbacNeed } from '../kernel/catalog.js';
import type { ResourceKind } from '../kube/cluster-access.js';

const namespaces = (verb: string): RbacNeed => ({ verb, group: '', resource: 'namespaces', scope: 'cluster' });

/**
 * What preparing and removing the run's namespace takes: create it, read it back (ownership
 * check, waiting for it to be gone), list kubeproof's expired ones and delete them. Every check
 * that needs the namespace declares these, so preflight reviews them and `GET /v1/rbac` grants
 * them for any selection that creates a namespace.
 * @example rbac: [...RUN_NAMESPACE_RBAC, { verb: 'create', group: '', resource: 'secrets', scope: 'run' }]
 */
export const RUN_NAMESPACE_RBAC: readonly RbacNeed[] = [
  namespaces('create'),
  namespaces('delete'),
  namespaces('get'),
  namespaces('list'),
  namespaces('watch'),
];

const isNamespaceLifecycle = (n: RbacNeed) =>
  n.nonResourceURL === undefined && n.group === '' && n.resource === 'namespaces' && n.scope === 'cluster';

/**
 * What a run removes from an operator's namespace, per kind it creates there (`create` needs of
 * the planned checks), and what controllers make from it that must be gone too (they copy the
 * run's labels: ReplicaSets from the Deployment's template, EndpointSlices from the Service's
 * labels). Secrets are deleted by name, never listed: listing would read the operator's secrets.
 * One table: cleanup (shared-cleanup.ts) acts on it, namespaceModeNeeds grants exactly it.
 */
export const SHARED_CLEANUP: ReadonlyArray<{
  created: ResourceKind;
  group: string;
  byLabel: boolean;
  dependents: ReadonlyArray<{ resource: ResourceKind; group: string }>;
}> = [
  { created: 'deployments', group: 'apps', byLabel: true, dependents: [{ resource: 'replicasets', group: 'apps' }] },
  {
    created: 'services',
    group: '',
    byLabel: true,
    dependents: [{ resource: 'endpointslices', group: 'discovery.k8s.io' }],
  },
  { created: 'pods', group: '', byLabel: true, dependents: [] },
  { created: 'secrets', group: '', byLabel: false, dependents: [] },
];

/** The rows of SHARED_CLEANUP for the kinds these needs create in the run's namespace. */
export function sharedCleanupOf(needs: readonly RbacNeed[]): typeof SHARED_CLEANUP {
  return SHARED_CLEANUP.filter((c) =>
    needs.some(
      (n) =>
        n.verb === 'create' && n.scope === 'run' && n.resource === c.created && n.group === c.group && !n.subresource,
    ),
  );
}

const run = (verb: string, group: string, resource: string, purpose: string): RbacNeed => ({
  verb,
  group,
  resource,
  scope: 'run',
  purpose,
});

/**
 * The needs of a run in an operator's pre-existing namespace (`options.namespace`): no namespace
 * is created, listed or deleted, so the cluster-scoped namespace needs become `get` of that one
 * namespace (a Role in it can grant it: GET /api/v1/namespaces/NAME is authorized in namespace
 * NAME), and each kind the run creates there gains what its cleanup takes (SHARED_CLEANUP).
 * Everything else is unchanged: scope `run` then means the operator's namespace.
 */
export function namespaceModeNeeds(needs: readonly RbacNeed[]): RbacNeed[] {
  const out = needs.filter((n) => !isNamespaceLifecycle(n));
  if (out.length === needs.length) return out;
  // A permission the check already declares is not declared twice (a required one stays required).
  const same = (a: RbacNeed, b: RbacNeed) =>
    a.verb === b.verb && a.group === b.group && a.resource === b.resource && a.scope === b.scope && !a.subresource;
  const add = (n: RbacNeed) => {
    if (!out.some((o) => same(o, n))) out.push(n);
  };
  add(run('get', '', 'namespaces', 'confirms the namespace exists before the run uses it'));
  for (const c of sharedCleanupOf(needs)) {
    const why = `cleanup: deletes this run's ${c.created} (${c.byLabel ? 'by its run-id label' : 'by name'})`;
    add(run('delete', c.group, c.created, why));
    if (!c.byLabel) continue;
    for (const verb of ['list', 'watch']) add(run(verb, c.group, c.created, `${why} and waits until they are gone`));
    for (const d of c.dependents) {
      for (const verb of ['list', 'watch'])
        add(run(verb, d.group, d.resource, `cleanup: waits until the ${d.resource} made for this run are gone`));
    }
  }
  return out;
}
