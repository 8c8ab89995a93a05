/**
 * The NetworkPolicy kubeproof puts into its run namespace so that a default-deny policy (one a
 * policy engine generates into every new namespace, or one the operator applies) does not drop
 * kubeproof's own traffic. Policies are additive allow-lists and a pod selected by any policy is
 * isolated for that policy's types (kubernetes.io/docs/concepts/services-networking/network-policies),
 * so this one allows everything the smoke checks send, and nothing outside the namespace but DNS:
 *
 * - ingress from every pod of the namespace (client → web pod IPs, and the ClusterIP, which the
 *   CNI judges after kube-proxy's DNAT);
 * - ingress to the web pods' port 8080 from anywhere: NodePort traffic arrives masqueraded from a
 *   node (or its tunnel address, which is in no node's InternalIP), and the NodePort already
 *   exposes these pods to whoever reaches a node;
 * - egress to every pod of the namespace, to DNS (port 53, UDP and TCP) in kube-system (CoreDNS or
 *   kube-dns; NodeLocal DNSCache is on the pod's node, whose traffic policies never block), and to
 *   the NodePort of the run's Service on any address (service.nodeport calls node addresses).
 *
 * Kubelet probes come from the pod's own node, always allowed. The policy goes with the namespace.
 */
import { type ClusterAccess, ClusterError, type KubeObject } from '../kube/cluster-access.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from './names.js';
import type { NetworkPolicyOutcome, WorkloadHandle } from './types.js';

export const ALLOW_POLICY = 'kubeproof-allow';

const TCP_UDP_53 = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

export function allowPolicyManifest(nodePorts: number[]): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: ALLOW_POLICY, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: {} }] },
        // Rules cannot narrow the selected pods; only the web pods listen on 8080.
        { ports: [{ protocol: 'TCP', port: 8080 }] },
      ],
      egress: [
        { to: [{ podSelector: {} }] },
        {
          // kubernetes.io/metadata.name is set on every namespace by the API server (v1.21+).
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: TCP_UDP_53,
        },
        ...(nodePorts.length ? [{ ports: nodePorts.map((port) => ({ protocol: 'TCP', port })) }] : []),
      ],
    },
  };
}

/** Answers that are not about NetworkPolicies at all (the run cannot go on as if they were). */
const THROWN: ReadonlySet<ClusterError['kind']> = new Set(['unreachable', 'unauthorized', 'timeout', 'aborted']);

/**
 * Creates the allow policy once the Service exists (its NodePort, if it has one, goes into it). Never throws for
 * the API server's answer: a 403 means kubeproof may not (the checks then say NetworkPolicy when
 * their traffic is dropped); other refusals are recorded the same way. Unreachable/timeouts throw.
 */
export async function allowOwnTraffic(
  cluster: ClusterAccess,
  w: WorkloadHandle,
  signal: AbortSignal,
): Promise<NetworkPolicyOutcome> {
  let nodePorts: number[] = [];
  try {
    const svc = await cluster.get('services', w.serviceName, w.namespace, { signal, timeoutMs: 15_000 });
    nodePorts = (svc.spec?.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : []));
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    // Without the Service there is no NodePort to allow; intra-namespace traffic and DNS still are.
  }
  try {
    await cluster.create('networkpolicies', allowPolicyManifest(nodePorts), w.namespace, { signal, timeoutMs: 15_000 });
    return { created: true, name: ALLOW_POLICY, nodePorts };
  } catch (err) {
    if (!(err instanceof ClusterError) || THROWN.has(err.kind)) throw err;
    return { created: false, reason: err.kind === 'forbidden' ? 'forbidden' : 'refused', message: err.message };
  }
}
