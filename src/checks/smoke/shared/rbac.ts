import type { RbacNeed } from '../../../kernel/catalog.js';
import { RUN_NAMESPACE_RBAC } from '../../../workload/rbac.js';
import { rbacNeed as need } from '../../rbac-need.js';

const readAll = (group: string, resource: string, scope: RbacNeed['scope']) =>
  ['get', 'list', 'watch'].map((verb) => need(verb, group, resource, scope));

/**
 * exec and port-forward go over WebSocket (client-node), whose upgrade is a GET: the API server
 * authorizes it as `get` (RequestInfoFactory maps the method), and from v1.35 the
 * AuthorizePodWebsocketUpgradeCreatePermission gate also requires `create` (kubernetes/kubernetes
 * PR #134577). SPDY clients POST (`create`). Granting both works on every version.
 */
const stream = (subresource: string) => ['get', 'create'].map((verb) => need(verb, '', 'pods', 'run', subresource));

/**
 * NetworkPolicies, both optional: creating kubeproof's allow policy in its run namespace (so a
 * default-deny policy does not drop its traffic), and listing the namespace's policies (to tell
 * a NetworkPolicy drop from a broken network when it may not create one).
 */
const NETWORK_POLICY = {
  create: {
    ...need('create', 'networking.k8s.io', 'networkpolicies', 'run'),
    optional: true,
    purpose:
      "lets kubeproof add a NetworkPolicy allowing its own pods' traffic (inside its namespace, DNS, its NodePort) where a default-deny policy would drop it",
  },
  list: {
    ...need('list', 'networking.k8s.io', 'networkpolicies', 'run'),
    optional: true,
    purpose: 'lets kubeproof tell a NetworkPolicy dropping its traffic from a broken network',
  },
} satisfies Record<string, RbacNeed>;

/**
 * Reading the run namespace's ServiceAccounts, optional: pods are created without it (admission
 * waits for `default` itself); only a pod refused for its lack makes kubeproof wait for it
 * (src/workload/create-pod.ts), and without the permission that refusal is reported as it is.
 */
const SERVICE_ACCOUNT_WAIT = ['list', 'watch'].map(
  (verb): RbacNeed => ({
    ...need(verb, '', 'serviceaccounts', 'run'),
    optional: true,
    purpose:
      "lets kubeproof wait for a new namespace's default ServiceAccount when the API server refused a pod before the controller-manager created it",
  }),
);

export const RBAC = {
  /** Checks whose calls a NetworkPolicy could drop. */
  readNetworkPolicies: [NETWORK_POLICY.list],
  // Only what the checks call: nodes are listed (never read one by one, never watched).
  listNodes: [need('list', '', 'nodes', 'cluster')],
  /** nodes.ready: the nodes and their heartbeat Leases. */
  nodeHealth: [need('list', '', 'nodes', 'cluster'), need('list', 'coordination.k8s.io', 'leases', 'cluster')],
  readPods: readAll('', 'pods', 'run'),
  readServices: readAll('', 'services', 'run'),
  readEndpointSlices: readAll('discovery.k8s.io', 'endpointslices', 'run'),
  readDeployments: readAll('apps', 'deployments', 'run'),
  exec: stream('exec'),
  logs: [need('get', '', 'pods', 'run', 'log')],
  portForward: stream('portforward'),
  deletePods: [need('delete', '', 'pods', 'run')],
  /** Bare pods (the restart probe), created through src/workload/create-pod.ts. */
  createPods: [need('create', '', 'pods', 'run'), ...SERVICE_ACCOUNT_WAIT],
  scaleDeployments: [need('patch', 'apps', 'deployments', 'run')],
  workload: [
    // The engine prepares the run's namespace for the workload (and removes it).
    ...RUN_NAMESPACE_RBAC,
    need('create', 'apps', 'deployments', 'run'),
    need('create', '', 'services', 'run'),
    need('create', '', 'pods', 'run'),
    ...SERVICE_ACCOUNT_WAIT,
    need('list', '', 'events', 'run'),
    need('list', 'apps', 'replicasets', 'run'),
    // The web Service is read back for its NodePort, which the allow policy names.
    need('get', '', 'services', 'run'),
    NETWORK_POLICY.create,
  ],
} satisfies Record<string, RbacNeed[]>;
