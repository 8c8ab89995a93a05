/**
 * `dual-stack`: an IPv6-first dual-stack cluster (kubernetes.io/docs/concepts/services-networking/dual-stack;
 * kind `ipFamily: dual` with the IPv6 ranges listed first): nodes have an IPv6 and an IPv4
 * InternalIP and a podCIDR of each family (IPv6 first), pods get `status.podIPs` with two entries,
 * `--service-cluster-ip-range=fd00:10:96::/112,10.96.0.0/16` makes IPv6 the primary family: a
 * SingleStack Service gets an IPv6 ClusterIP, a PreferDualStack/RequireDualStack one gets both
 * (`clusterIPs`, `ipFamilies`), with one EndpointSlice per family.
 */
import { kindNode } from './ipv6.js';
import type { ClusterProfile } from './types.js';

export const dualStack: ClusterProfile = {
  name: 'dual-stack',
  summary:
    'IPv6-first dual-stack: two InternalIPs, podCIDRs and podIPs per node/pod, IPv6-primary Services (both families on request)',
  shape: (workers) => {
    const node = (name: string, i: number, controlPlane: boolean) =>
      kindNode(
        name,
        controlPlane,
        [`fc00:f853:ccd:e793::${(i + 2).toString(16)}`, `172.18.0.${i + 2}`],
        [`fd00:10:244:${i.toString(16)}::/64`, `10.244.${i}.0/24`],
      );
    return {
      nodes: [
        node('controlplane', 0, true),
        ...Array.from({ length: workers }, (_, i) => node(`worker-${i}`, i + 1, false)),
      ],
      serviceCidrs: ['fd00:10:96::/112', '10.96.0.0/16'],
      clusterCidr: 'fd00:10:244::/56,10.244.0.0/16',
      apiserverAddress: 'fc00:f853:ccd:e793::2',
      dns: 'coredns',
      kubeProxy: 'daemonset',
      controlPlanePods: true,
      managedControlPlane: false,
    };
  },
};
