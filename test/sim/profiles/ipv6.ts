/**
 * `ipv6`: an IPv6-only cluster as kind builds one (kubernetes-sigs/kind
 * pkg/apis/config/v1alpha4/default.go: `ipFamily: ipv6`, podSubnet `fd00:10:244::/56`,
 * serviceSubnet `fd00:10:96::/112`): node InternalIPs, node podCIDRs (a /64 each), pod IPs,
 * ClusterIPs (kube-dns `fd00:10:96::a`) and NodePorts all IPv6; EndpointSlices of addressType
 * IPv6; CoreDNS answers AAAA (and an empty A). URLs to these addresses need brackets
 * (`http://[fd00:10:244:1::5]:8080/`).
 */
import { controlPlaneLabels, controlPlaneTaint, kubeadmNodeAnnotations } from './kthw.js';
import type { ClusterProfile, NodeShape } from './types.js';

const nodeIp = (i: number) => `fc00:f853:ccd:e793::${(i + 2).toString(16)}`;

export const ipv6: ClusterProfile = {
  name: 'ipv6',
  summary: 'IPv6-only (kind ipFamily: ipv6): node IPs, podCIDRs, pod IPs, ClusterIPs and NodePorts all IPv6',
  shape: (workers) => {
    const node = (name: string, i: number, controlPlane: boolean) =>
      kindNode(name, controlPlane, [nodeIp(i)], [`fd00:10:244:${i.toString(16)}::/64`]);
    return {
      nodes: [
        node('controlplane', 0, true),
        ...Array.from({ length: workers }, (_, i) => node(`worker-${i}`, i + 1, false)),
      ],
      serviceCidrs: ['fd00:10:96::/112'],
      clusterCidr: 'fd00:10:244::/56',
      apiserverAddress: nodeIp(0),
      dns: 'coredns',
      kubeProxy: 'daemonset',
      controlPlanePods: true,
      managedControlPlane: false,
    };
  },
};

/** A kind-style node (kubeadm labels/annotations, the control plane tainted) with these addresses and podCIDRs. */
export function kindNode(name: string, controlPlane: boolean, internalIps: string[], podCidrs: string[]): NodeShape {
  return {
    name,
    internalIps,
    podCidrs,
    labels: controlPlane ? controlPlaneLabels : {},
    annotations: kubeadmNodeAnnotations,
    taints: controlPlane ? [controlPlaneTaint] : [],
    controlPlane,
  };
}
