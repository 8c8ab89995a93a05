/**
 * Every fault the simulated cluster knows: its arguments and one line saying what breaks.
 * The single source of truth for fault names — `FaultName` and `FaultSpec` are derived from
 * it, so a misspelt fault in code or a test does not compile, and `npm run sim -- --help`,
 * the control endpoint's error message and the symptom/matrix tests' coverage checks read it.
 */

export interface FaultDef {
  /** Names of the `:`-separated arguments, in order (shown in usage as `<node>`). */
  readonly args: readonly string[];
  /** One line for `--help`: which component breaks and how it shows. */
  readonly summary: string;
}

export const faultCatalog = {
  'scheduler-down': { args: [], summary: 'kube-scheduler stopped: new pods stay Pending on no node, with no events' },
  'nodes-unschedulable': { args: [], summary: 'every node cordoned (SchedulingDisabled): pods get FailedScheduling' },
  'node-notready': {
    args: ['node'],
    summary: "that node's kubelet stops posting status: NotReady/Unknown after the grace period, then taints",
  },
  'cni-down': {
    args: [],
    summary: 'CNI plugin fails on every node: pods stay ContainerCreating (FailedCreatePodSandBox)',
  },
  'cni-missing': {
    args: [],
    summary: 'no CNI config on any node: nodes NotReady (NetworkPluginNotReady), pods stay Pending',
  },
  'cni-cross-node': {
    args: [],
    summary: 'pod traffic between nodes is dropped: cross-node pod IPs and NodePorts time out',
  },
  'endpoints-controller-down': { args: [], summary: 'EndpointSlice controller stopped: new Services get no endpoints' },
  'coredns-down': { args: [], summary: 'CoreDNS crash-loops unready: DNS queries reach no server' },
  'coredns-nxdomain': { args: [], summary: 'CoreDNS answers NXDOMAIN for every Service name' },
  'kube-proxy-down': {
    args: [],
    summary: 'kube-proxy crash-loops everywhere (rules frozen): new Services time out on ClusterIP, NodePort refused',
  },
  'kube-proxy-no-balance': { args: [], summary: 'every connection to a Service lands on the same endpoint' },
  'nodeport-blocked': { args: ['node'], summary: 'that node refuses NodePort connections' },
  'kubelet-rbac-denied': {
    args: [],
    summary: 'kubelets refuse the API server (Forbidden ... subresource=proxy): logs, exec, port-forward fail',
  },
  'controller-manager-down': {
    args: [],
    summary: 'kube-controller-manager crash-loops, Lease stale: no ReplicaSets, self-heal, ServiceAccounts',
  },
  'scheduler-binpack': {
    args: [],
    summary: 'kube-scheduler profile without spreading, MostAllocated scoring: replicas pile onto one node',
  },
  'kubelet-no-restart': { args: [], summary: 'kubelets do not restart exited containers' },
  'apiserver-unreachable': {
    args: [],
    summary: "the API server's port refuses connections (control endpoint stays up)",
  },
  'token-invalid': { args: [], summary: "the kubeconfig's bearer token is refused: 401 Unauthorized" },
  'rbac-missing': {
    args: ['verb', 'resource'],
    summary: 'RBAC denies the user that verb on that resource (e.g. create:pods/exec, get:/metrics): 403',
  },
} as const satisfies Record<string, FaultDef>;

export type FaultName = keyof typeof faultCatalog;

type SpecOf<N extends FaultName> = (typeof faultCatalog)[N]['args'] extends readonly []
  ? N
  : (typeof faultCatalog)[N]['args'] extends readonly [string]
    ? `${N}:${string}`
    : `${N}:${string}:${string}`;

/** A fault as written on the command line: `coredns-down`, `node-notready:worker-1`, `rbac-missing:get:pods`. */
export type FaultSpec = { [N in FaultName]: SpecOf<N> }[FaultName];

export const FAULT_NAMES = Object.keys(faultCatalog) as FaultName[];

/** `node-notready:<node>`: how a fault is written, with its argument names. */
export function faultUsage(name: FaultName): string {
  return [name, ...faultCatalog[name].args.map((a) => `<${a}>`)].join(':');
}
