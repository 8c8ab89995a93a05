import { RUN_NAMESPACE_RBAC } from '../../../workload/rbac.js';
import { rbacNeed as need } from '../../rbac-need.js';
import type { RbacNeed } from '../../types.js';

const readAll = (group: string, resource: string, scope: RbacNeed['scope']) =>
  ['get', 'list', 'watch'].map((verb) => need(verb, group, resource, scope));

export const RBAC = {
  readNodes: [...readAll('', 'nodes', 'cluster'), need('list', 'coordination.k8s.io', 'leases', 'cluster')],
  readPods: readAll('', 'pods', 'run'),
  readServices: readAll('', 'services', 'run'),
  readEndpointSlices: readAll('discovery.k8s.io', 'endpointslices', 'run'),
  readDeployments: readAll('apps', 'deployments', 'run'),
  exec: [need('create', '', 'pods', 'run', 'exec')],
  logs: [need('get', '', 'pods', 'run', 'log')],
  portForward: [need('create', '', 'pods', 'run', 'portforward')],
  deletePods: [need('delete', '', 'pods', 'run')],
  createPods: [need('create', '', 'pods', 'run')],
  scaleDeployments: [need('patch', 'apps', 'deployments', 'run')],
  workload: [
    // The engine prepares the run's namespace for the workload (and removes it).
    ...RUN_NAMESPACE_RBAC,
    need('create', 'apps', 'deployments', 'run'),
    need('create', '', 'services', 'run'),
    need('create', '', 'pods', 'run'),
    ...readAll('', 'serviceaccounts', 'run'),
    need('list', '', 'events', 'run'),
    need('list', 'apps', 'replicasets', 'run'),
  ],
} satisfies Record<string, RbacNeed[]>;
