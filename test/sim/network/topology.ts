/** Reads the cluster's network-relevant objects from the store: pods by IP, nodes, Services, endpoints. */
import type { KubeObj, SimStore } from '../contracts.js';
import { familyOf } from './ip.js';

export interface Endpoint {
  ip: string;
  port: number;
  nodeName: string | undefined;
}

export interface ServicePortRule {
  port: number;
  protocol: string;
  nodePort: number | undefined;
  /** Ready endpoints for this port (what kube-proxy programs). */
  endpoints: Endpoint[];
}

export interface ServiceRule {
  key: string;
  clusterIP: string | undefined;
  /** The address family of this rule (a dual-stack Service has one rule per family). */
  family: 'IPv4' | 'IPv6';
  ports: ServicePortRule[];
}

/**
 * A view derived from the store, recomputed only when the store has changed since (every write
 * bumps its resourceVersion): the network asks for these on every connection, and a fresh list
 * clones every object. Callers only read the result.
 */
const memo = new WeakMap<SimStore, Map<string, { rv: number; value: unknown }>>();
function perRevision<T>(store: SimStore, name: string, compute: () => T): T {
  const views = memo.get(store) ?? new Map<string, { rv: number; value: unknown }>();
  memo.set(store, views);
  const rv = store.resourceVersion();
  const hit = views.get(name);
  if (hit && hit.rv === rv) return hit.value as T;
  const value = compute();
  views.set(name, { rv, value });
  return value;
}

export function podsByIp(store: SimStore): ReadonlyMap<string, KubeObj> {
  return perRevision(store, 'podsByIp', () => computePodsByIp(store));
}

function computePodsByIp(store: SimStore): Map<string, KubeObj> {
  const byIp = new Map<string, KubeObj>();
  for (const pod of store.list('pods')) {
    if (pod.spec?.hostNetwork || pod.status?.phase !== 'Running') continue;
    // Every address of the pod (dual-stack: one per family).
    const ips: string[] = (pod.status?.podIPs ?? [{ ip: pod.status?.podIP }]).map((p: { ip?: string }) => p.ip ?? '');
    for (const ip of ips) if (ip) byIp.set(ip, pod);
  }
  return byIp;
}

export function nodeInternalIps(store: SimStore): ReadonlyMap<string, string> {
  return perRevision(store, 'nodeInternalIps', () => computeNodeInternalIps(store));
}

function computeNodeInternalIps(store: SimStore): Map<string, string> {
  const byIp = new Map<string, string>();
  for (const node of store.list('nodes')) {
    for (const address of node.status?.addresses ?? []) {
      if (address.type === 'InternalIP') byIp.set(address.address, node.metadata.name);
    }
  }
  return byIp;
}

/** Ready endpoints of one Service port, from its EndpointSlices (ready unset counts as ready, as in kube-proxy). */
function endpointsFor(
  slices: KubeObj[],
  portName: string,
  protocol: string,
  podNodes: ReadonlyMap<string, KubeObj>,
): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const slice of slices) {
    const slicePort = (slice.ports ?? []).find(
      (p: { name?: string; protocol?: string }) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol,
    );
    if (!slicePort?.port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const ip of endpoint.addresses ?? []) {
        endpoints.push({ ip, port: slicePort.port, nodeName: endpoint.nodeName ?? podNodes.get(ip)?.spec?.nodeName });
      }
    }
  }
  return endpoints.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
}

/** kube-proxy's view: every Service with its ports and their ready endpoints. */
export function serviceRules(store: SimStore): readonly ServiceRule[] {
  return perRevision(store, 'serviceRules', () => computeServiceRules(store));
}

function computeServiceRules(store: SimStore): ServiceRule[] {
  const slicesByService = new Map<string, KubeObj[]>();
  for (const slice of store.list('endpointslices')) {
    const service = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!service) continue;
    const key = `${slice.metadata.namespace}/${service}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
  }
  const pods = podsByIp(store);
  return store.list('services').flatMap((svc) => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const slices = slicesByService.get(key) ?? [];
    const primary: string | undefined = svc.spec?.clusterIP;
    const clusterIPs: string[] = primary && primary !== 'None' ? (svc.spec?.clusterIPs ?? [primary]) : [];
    const families: Array<'IPv4' | 'IPv6'> =
      clusterIPs.length > 0 ? clusterIPs.map(familyOf) : (svc.spec?.ipFamilies ?? ['IPv4']);
    // kube-proxy programs each family from that family's EndpointSlices.
    return families.map((family, i) => ({
      key,
      clusterIP: clusterIPs[i],
      family,
      ports: (svc.spec?.ports ?? []).map(
        (p: { name?: string; port: number; protocol?: string; nodePort?: number }) => ({
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          nodePort: p.nodePort,
          endpoints: endpointsFor(
            slices.filter((s) => (s.addressType ?? 'IPv4') === family),
            p.name ?? '',
            p.protocol ?? 'TCP',
            pods,
          ),
        }),
      ),
    }));
  });
}

/** A headless Service's A records: its ready endpoint addresses. */
export function readyAddresses(store: SimStore, namespace: string, service: string): string[] {
  const rules = serviceRules(store).filter((r) => r.key === `${namespace}/${service}`);
  return [...new Set(rules.flatMap((r) => r.ports.flatMap((p) => p.endpoints.map((e) => e.ip))))];
}
