/**
 * The virtual pod network: every packet stays inside the simulation. A connection from a pod
 * is routed like the real data path — own netns (127.0.0.1, own IP), Service ClusterIP and
 * NodePort through kube-proxy, pod IPs over the CNI — and reaches the listening emulated
 * process, or is refused (RST / ICMP) or dropped (the client's time-out decides).
 * Fault `cni-cross-node`: traffic between a pod and another node (pod IPs or node IPs) is
 * dropped, so cross-node pod traffic, DNS to a CoreDNS pod elsewhere and NodePorts reached
 * through another node all time out.
 */
import { duplexPair } from 'node:stream';
import type { PortTable } from '../containers/process-runner.js';
import type { ConnectOutcome, DnsOutcome, DnsQuestion, PodNetwork } from '../containers/types.js';
import type { ClusterView } from '../contracts.js';
import { familyOf } from './ip.js';
import { createKubeProxy, type ProxyDecision } from './kube-proxy.js';
import { egressAllowed, ingressAllowed } from './network-policy.js';
import { delay } from './timing.js';
import { nodeInternalIps, podsByIp } from './topology.js';

export { clusterDnsAnswer } from './cluster-dns.js';
export * from './timing.js';

/** Where the runtime keeps the ports each running pod's containers listen on. */
export interface ListenerDirectory {
  portsOf(namespace: string, pod: string): PortTable[];
}

export interface PodIdentity {
  namespace: string;
  name: string;
  nodeName: string;
  podIp(): string;
}

export interface VirtualNetwork {
  forPod(pod: PodIdentity): PodNetwork;
  dispose(): void;
}

/** A resolved destination: the pod that will receive, or why nothing will. */
type Route =
  | { kind: 'pod'; namespace: string; name: string; port: number; sourceIp: string }
  | { kind: 'refused' }
  | { kind: 'dropped' };

let ephemeralPort = 32768;
const nextEphemeralPort = () => {
  ephemeralPort = ephemeralPort >= 60999 ? 32768 : ephemeralPort + 1;
  return ephemeralPort;
};

export function createVirtualNetwork(view: ClusterView, listeners: ListenerDirectory): VirtualNetwork {
  const proxy = createKubeProxy(view.store, view.faults);

  /** Whether packets between two nodes' pod networks get through. */
  const hopOk = (from: string | undefined, to: string | undefined) =>
    !view.faults.has('cni-cross-node') || from === undefined || to === undefined || from === to;

  const toPodIp = (fromNode: string, ip: string, port: number, sourceIp: string): Route => {
    const pod = podsByIp(view.store).get(ip);
    if (!pod) return { kind: 'dropped' };
    if (!hopOk(fromNode, pod.spec?.nodeName)) return { kind: 'dropped' };
    return { kind: 'pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, port, sourceIp };
  };

  const follow = (decision: ProxyDecision, fromNode: string, sourceIp: string): Route | undefined => {
    switch (decision.kind) {
      case 'no-rule':
        return undefined;
      case 'reject':
        return { kind: 'refused' };
      case 'drop':
        return { kind: 'dropped' };
      case 'forward':
        return toPodIp(fromNode, decision.endpoint.ip, decision.endpoint.port, sourceIp);
    }
  };

  const route = (from: PodIdentity, ip: string, port: number, protocol: 'TCP' | 'UDP'): Route => {
    const ownIp = from.podIp();
    if (ip.startsWith('127.') || ip === '::1' || ip === ownIp) {
      return { kind: 'pod', namespace: from.namespace, name: from.name, port, sourceIp: ip };
    }
    const viaService = follow(proxy.clusterIp(ip, port, protocol), from.nodeName, ownIp);
    if (viaService) return viaService;
    const node = nodeInternalIps(view.store).get(ip);
    if (node !== undefined) {
      if (!hopOk(from.nodeName, node)) return { kind: 'dropped' };
      // NodePort traffic is masqueraded to the node's address before it is forwarded.
      return follow(proxy.nodePort(node, port, protocol, familyOf(ip)), node, ip) ?? { kind: 'refused' };
    }
    return toPodIp(from.nodeName, ip, port, ownIp);
  };

  /**
   * NetworkPolicy, where the CNI enforces it: the sender's egress (to the endpoint pod after
   * DNAT, or to the node address for a NodePort) and the receiver's ingress (from the sender,
   * or from the node for masqueraded NodePort traffic). Denied packets are dropped, not refused.
   */
  const policyDrops = (
    from: PodIdentity,
    dialedIp: string,
    dialedPort: number,
    target: Extract<Route, { kind: 'pod' }>,
    protocol: 'TCP' | 'UDP',
  ) => {
    if (!view.enforcesNetworkPolicy) return false;
    if (target.namespace === from.namespace && target.name === from.name) return false;
    const sender = view.store.get('pods', from.namespace, from.name);
    const receiver = view.store.get('pods', target.namespace, target.name);
    const masqueraded = target.sourceIp !== from.podIp();
    const egressTo = masqueraded ? { ip: dialedIp } : { ip: receiver?.status?.podIP ?? dialedIp, pod: receiver };
    if (sender && !egressAllowed(view.store, sender, egressTo, masqueraded ? dialedPort : target.port, protocol))
      return true;
    const ingressFrom = masqueraded ? { ip: target.sourceIp } : { ip: from.podIp(), pod: sender };
    return Boolean(receiver && !ingressAllowed(view.store, receiver, ingressFrom, target.port, protocol));
  };

  return {
    forPod(from) {
      return {
        async connectTcp(ip, port): Promise<ConnectOutcome> {
          const target = route(from, ip, port, 'TCP');
          if (target.kind !== 'pod') return target;
          if (policyDrops(from, ip, port, target, 'TCP')) return { kind: 'dropped' };
          const handler = listeners
            .portsOf(target.namespace, target.name)
            .map((ports) => ports.tcp.get(target.port))
            .find((h) => h !== undefined);
          if (!handler) return { kind: 'refused' };
          const [client, server] = duplexPair();
          handler(server, { ip: target.sourceIp, port: nextEphemeralPort() });
          return { kind: 'connected', socket: client };
        },
        async queryDns(serverIp, serverPort, question: DnsQuestion): Promise<DnsOutcome> {
          const target = route(from, serverIp, serverPort, 'UDP');
          if (target.kind !== 'pod') return target;
          if (policyDrops(from, serverIp, serverPort, target, 'UDP')) return { kind: 'dropped' };
          const handler = listeners
            .portsOf(target.namespace, target.name)
            .map((ports) => ports.dns.get(target.port))
            .find((h) => h !== undefined);
          if (!handler) return { kind: 'refused' };
          await delay(view.latencies.dnsLatencyMs);
          return { kind: 'reply', reply: await handler(question) };
        },
      };
    },
    dispose: () => proxy.dispose(),
  };
}
