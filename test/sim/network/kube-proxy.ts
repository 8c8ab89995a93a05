/**
 * kube-proxy's rules as the data path applies them: ClusterIP and NodePort → one ready endpoint
 * (random per connection, like iptables' probability rules), REJECT when a Service has no ready
 * endpoints. Faults: `kube-proxy-down` freezes the rules as they were when it was switched on
 * (new Services get none); `kube-proxy-no-balance` always picks the same endpoint.
 */
import type { FaultSet, SimStore } from '../contracts.js';
import { type Endpoint, type ServicePortRule, type ServiceRule, serviceRules } from './topology.js';

export type ProxyDecision =
  /** Not a Service address at all: routed as plain IP. */
  { kind: 'no-rule' } | { kind: 'reject' } | { kind: 'drop' } | { kind: 'forward'; endpoint: Endpoint };

export interface KubeProxy {
  clusterIp(ip: string, port: number, protocol: string): ProxyDecision;
  /** `family`: of the node address dialed (a dual-stack node has one NodePort rule set per family). */
  nodePort(node: string, port: number, protocol: string, family?: 'IPv4' | 'IPv6'): ProxyDecision;
  /** Whether `ip` is a Service ClusterIP in the live API (for routing decisions). */
  isClusterIp(ip: string): boolean;
  dispose(): void;
}

export function createKubeProxy(store: SimStore, faults: FaultSet): KubeProxy {
  let frozen: readonly ServiceRule[] | undefined;
  const sync = () => {
    if (faults.has('kube-proxy-down')) frozen ??= serviceRules(store);
    else frozen = undefined;
  };
  sync();
  const unsubscribe = faults.onChange(sync);
  const rules = () => frozen ?? serviceRules(store);

  const pick = (port: ServicePortRule): ProxyDecision => {
    if (port.endpoints.length === 0) return { kind: 'reject' };
    const index = faults.has('kube-proxy-no-balance') ? 0 : Math.floor(Math.random() * port.endpoints.length);
    return { kind: 'forward', endpoint: port.endpoints[index]! };
  };

  return {
    isClusterIp: (ip) => store.list('services').some((s) => (s.spec?.clusterIPs ?? [s.spec?.clusterIP]).includes(ip)),
    clusterIp(ip, port, protocol) {
      const service = rules().find((r) => r.clusterIP === ip);
      // A ClusterIP kube-proxy never programmed is bound nowhere: packets go unanswered.
      if (!service) return this.isClusterIp(ip) ? { kind: 'drop' } : { kind: 'no-rule' };
      const servicePort = service.ports.find((p) => p.port === port && p.protocol === protocol);
      return servicePort ? pick(servicePort) : { kind: 'drop' };
    },
    nodePort(node, port, protocol, family = 'IPv4') {
      if (faults.args('nodeport-blocked').includes(node)) return { kind: 'reject' };
      const all = rules();
      // Single-stack Services answer on whatever node address; dual-stack ones per family.
      const ofFamily = all.filter((r) => r.family === family);
      const servicePort = (ofFamily.length > 0 ? ofFamily : all)
        .flatMap((r) => r.ports)
        .find((p) => p.nodePort === port && p.protocol === protocol);
      // Nothing listens on an unprogrammed NodePort: the node answers with a RST.
      return servicePort ? pick(servicePort) : { kind: 'reject' };
    },
    dispose: unsubscribe,
  };
}
