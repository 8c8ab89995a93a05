/**
 * `netpol-default-deny`: today's default cluster with a CNI that enforces NetworkPolicy (as
 * Calico and Cilium do) and a policy engine that writes a default-deny ingress+egress
 * NetworkPolicy into every new namespace (the common Kyverno `add-networkpolicy` generate rule:
 * `podSelector: {}`, `policyTypes: [Ingress, Egress]`). A pod there reaches nothing — not even
 * DNS — until a policy allows it; denied packets are dropped, so clients time out
 * (network/network-policy.ts).
 */
import { kthwShape } from './kthw.js';
import type { ClusterProfile } from './types.js';

export const netpolDefaultDeny: ClusterProfile = {
  name: 'netpol-default-deny',
  summary:
    'NetworkPolicy enforced by the CNI, and a default-deny ingress+egress policy generated into every new namespace',
  shape: (workers) => kthwShape(workers),
  enforcesNetworkPolicy: true,
  admission: { defaultDenyNetworkPolicy: true },
};
