/**
 * NetworkPolicy enforcement on the virtual pod network, with the API's semantics
 * (kubernetes.io/docs/concepts/services-networking/network-policies; networking.k8s.io/v1
 * types.go): a pod selected by any policy with policyType Ingress (Egress) accepts (sends) only
 * what some such policy's rules allow; rules match peers by podSelector (in the policy's
 * namespace), namespaceSelector (+ podSelector), or ipBlock (cidr minus except), and ports by
 * number/name and protocol. Policies are additive; unselected pods are unrestricted. Traffic to a
 * Service is judged after kube-proxy's DNAT (endpoint pod and target port); NodePort traffic
 * arrives from the node's address (masqueraded). Used by the `netpol-default-deny` profile,
 * whose CNI enforces policies (as Calico and Cilium do).
 */

import { startGenerateEngine } from '../admission/generate.js';
import type { KubeObj, SimStore } from '../contracts.js';
import { labelSelectorObjectMatcher } from '../store/selectors.js';
import { cidrContains } from './ip.js';

// biome-ignore lint/suspicious/noExplicitAny: NetworkPolicy specs are open JSON, as on the wire
type Json = any;

export interface Endpoint {
  ip: string;
  /** The pod behind the address (undefined for a node or anything outside the pod network). */
  pod?: KubeObj;
}

const selects = (selector: Json, obj: KubeObj | undefined): boolean =>
  obj !== undefined && labelSelectorObjectMatcher(selector ?? {})(obj);

const typesOf = (policy: KubeObj): string[] =>
  policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);

function peerMatches(store: SimStore, policy: KubeObj, peer: Json, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return (
      cidrContains(peer.ipBlock.cidr, other.ip) &&
      !(peer.ipBlock.except ?? []).some((c: string) => cidrContains(c, other.ip))
    );
  }
  if (!other.pod) return false;
  const otherNs = other.pod.metadata.namespace ?? 'default';
  if (peer.namespaceSelector) {
    const ns = store.get('namespaces', undefined, otherNs);
    if (!selects(peer.namespaceSelector, ns)) return false;
    return peer.podSelector ? selects(peer.podSelector, other.pod) : true;
  }
  return otherNs === policy.metadata.namespace && selects(peer.podSelector, other.pod);
}

function portMatches(
  rulePorts: Json[] | undefined,
  target: KubeObj | undefined,
  port: number,
  protocol: string,
): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
    // A named port resolves against the destination pod's container ports.
    return (target?.spec?.containers ?? []).some((c: Json) =>
      (c.ports ?? []).some((cp: Json) => cp.name === p.port && cp.containerPort === port),
    );
  });
}

function allowedBy(
  store: SimStore,
  direction: 'Ingress' | 'Egress',
  subject: KubeObj,
  other: Endpoint,
  port: number,
  protocol: string,
  destination: KubeObj | undefined,
): boolean {
  const policies = store
    .list('networkpolicies', subject.metadata.namespace)
    .filter((p) => typesOf(p).includes(direction) && selects(p.spec?.podSelector, subject));
  if (policies.length === 0) return true;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return policies.some((policy) =>
    (policy.spec?.[key] ?? []).some(
      (rule: Json) =>
        ((rule[peersKey] ?? []).length === 0 ||
          rule[peersKey].some((peer: Json) => peerMatches(store, policy, peer, other))) &&
        portMatches(rule.ports, destination, port, protocol),
    ),
  );
}

/** Whether the sender's egress policies let it send to `to` on port/protocol. */
export function egressAllowed(
  store: SimStore,
  sender: KubeObj,
  to: Endpoint,
  port: number,
  protocol: 'TCP' | 'UDP',
): boolean {
  return allowedBy(store, 'Egress', sender, to, port, protocol, to.pod);
}

/** Whether the receiver's ingress policies let `from` in on port/protocol. */
export function ingressAllowed(
  store: SimStore,
  receiver: KubeObj,
  from: Endpoint,
  port: number,
  protocol: 'TCP' | 'UDP',
): boolean {
  return allowedBy(store, 'Ingress', receiver, from, port, protocol, receiver);
}

/** The default-deny policy a policy engine (e.g. a Kyverno generate rule) writes into every new namespace. */
export function defaultDenyPolicy(namespace?: string): KubeObj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'default-deny-all',
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'kyverno', 'generate.kyverno.io/policy-name': 'add-default-deny' },
    },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** The policy engine: on every new namespace outside the system ones, a default-deny policy appears. */
export function startDefaultDenyEngine(store: SimStore): () => void {
  return startGenerateEngine(store, [{ resource: 'networkpolicies', object: defaultDenyPolicy() }]);
}
