import type { ResourceKind } from '../cluster-access.js';

interface ResourceInfo {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  base: string;
  namespaced: boolean;
}

const RESOURCES: Record<ResourceKind, ResourceInfo> = {
  namespaces: { base: '/api/v1', namespaced: false },
  nodes: { base: '/api/v1', namespaced: false },
  pods: { base: '/api/v1', namespaced: true },
  services: { base: '/api/v1', namespaced: true },
  events: { base: '/api/v1', namespaced: true },
  secrets: { base: '/api/v1', namespaced: true },
  configmaps: { base: '/api/v1', namespaced: true },
  serviceaccounts: { base: '/api/v1', namespaced: true },
  endpointslices: { base: '/apis/discovery.k8s.io/v1', namespaced: true },
  deployments: { base: '/apis/apps/v1', namespaced: true },
  replicasets: { base: '/apis/apps/v1', namespaced: true },
  leases: { base: '/apis/coordination.k8s.io/v1', namespaced: true },
  daemonsets: { base: '/apis/apps/v1', namespaced: true },
  ippools: { base: '/apis/crd.projectcalico.org/v1', namespaced: false },
  networkpolicies: { base: '/apis/networking.k8s.io/v1', namespaced: true },
};

/** The collection path of a resource, e.g. `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(resource: ResourceKind, namespace?: string): string {
  const info = RESOURCES[resource];
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${info.base}${ns}/${resource}`;
}

/** The API path of one named object. */
export function objectPath(resource: ResourceKind, name: string, namespace?: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}
