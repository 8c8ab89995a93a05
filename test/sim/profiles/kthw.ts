/**
 * `kthw`: the simulation's historical default, a Kubernetes-The-Hard-Way-style cluster
 * (kelseyhightower/kubernetes-the-hard-way): host-local IPAM from each node's podCIDR
 * (10.200.<n>.0/24 of --cluster-cidr=10.200.0.0/16), iptables kube-proxy, CoreDNS, permissive
 * admission, IPv4. It also shows kubeadm-like control-plane mirror pods on a tainted
 * `controlplane` node and one kube-proxy pod per node, as the simulation always has.
 */
import type { ClusterProfile, ClusterShape, NodeShape } from './types.js';

export const controlPlaneNodeName = 'controlplane';
export const controlPlaneAddress = '10.240.0.10';

/** KTHW-style addresses: the control plane .10, workers .20, .21, … */
export function workerAddress(index: number): string {
  return `10.240.0.${20 + index}`;
}

export const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
export const controlPlaneLabels = {
  'node-role.kubernetes.io/control-plane': '',
  'node.kubernetes.io/exclude-from-external-load-balancers': '',
};
export const kubeadmNodeAnnotations = {
  'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
};

export function kthwShape(workers: number, withPodCidr = true): ClusterShape {
  const cidr = (i: number) => (withPodCidr ? { podCidrs: [`10.200.${i}.0/24`] } : {});
  const nodes: NodeShape[] = [
    {
      name: controlPlaneNodeName,
      internalIps: [controlPlaneAddress],
      ...cidr(workers),
      // Without published podCIDRs the CNI still uses its own per-node range (see kubelet/index.ts).
      ...(withPodCidr ? {} : { podRanges: [`10.244.${workers}.0/24`] }),
      labels: controlPlaneLabels,
      annotations: kubeadmNodeAnnotations,
      taints: [controlPlaneTaint],
      controlPlane: true,
    },
    ...Array.from(
      { length: workers },
      (_, i): NodeShape => ({
        name: `worker-${i}`,
        internalIps: [workerAddress(i)],
        ...cidr(i),
        ...(withPodCidr ? {} : { podRanges: [`10.244.${i}.0/24`] }),
        annotations: kubeadmNodeAnnotations,
        controlPlane: false,
      }),
    ),
  ];
  return {
    nodes,
    serviceCidrs: ['10.96.0.0/12'],
    clusterCidr: '10.200.0.0/16',
    apiserverAddress: controlPlaneAddress,
    dns: 'coredns',
    kubeProxy: 'pods',
    controlPlanePods: true,
    managedControlPlane: false,
  };
}

export const kthw: ClusterProfile = {
  name: 'kthw',
  summary: "today's default: host-local IPAM from node podCIDRs, iptables kube-proxy pods, CoreDNS, IPv4",
  shape: (workers) => kthwShape(workers),
};
