/**
 * The components kubeproof's observations confirm, and the shape of a reference to where a
 * guide built one. The references themselves (the default guide, an operator's runbook) are data
 * in `src/checks/guide.ts`; docs/guide.md explains the mapping.
 */

/** Where in the guide a component was built. Served as is by `GET /v1/checks` and in reports. */
export interface GuideReference {
  /** Short label used in report tables, e.g. `article 12` or `KTHW smoke test: Services`. */
  label: string;
  /** Chapter title, when known. */
  title?: string;
  url?: string;
}

/** Component key → its name as an operator reads it. */
export const COMPONENTS = {
  'api-server': 'kube-apiserver: reachable, credentials accepted, permissions granted',
  kubelet: 'kubelet (node registration and heartbeat)',
  'controller-chain': 'Deployment/ReplicaSet controllers, scheduler, kubelet',
  scheduler: 'kube-scheduler',
  'pod-network': 'kubelet + containerd + CNI',
  'cni-routing': 'CNI routing between nodes',
  'endpoint-controller': 'endpoint controller (EndpointSlices)',
  coredns: 'CoreDNS',
  'kube-proxy': 'kube-proxy (load balancing)',
  'kube-proxy-nodeport': 'kube-proxy NodePort rules',
  'apiserver-kubelet': 'api-server → kubelet + RBAC',
  'controller-manager': 'controller-manager (control loop)',
  'deployment-controller': 'Deployment/ReplicaSet controller',
  'kubelet-runtime': 'kubelet + container runtime',
  'encryption-at-rest': 'kube-apiserver encryption provider configuration (EncryptionConfiguration) + etcd',
} as const;
export type ComponentKey = keyof typeof COMPONENTS;
export const COMPONENT_KEYS = Object.keys(COMPONENTS) as [ComponentKey, ...ComponentKey[]];

/** The component's name as an operator reads it ("kube-proxy (load balancing)"); unknown keys as they are. */
export function componentTitle(key: string): string {
  return (COMPONENTS as Record<string, string>)[key] ?? key;
}

/** Component → where in a guide it was built. */
export type Guide = Readonly<Record<ComponentKey, readonly GuideReference[]>>;
