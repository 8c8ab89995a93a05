import type { RbacNeed } from '../kernel/catalog.js';

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
