import type { Node } from '../../kube/objects.js';
import type { ClusterShape } from './types.js';

/**
 * Which ranges pod IPs are judged against (issue 10 item 4): node `podCIDRs` when the CNI hands
 * out addresses from them (host-local, flannel, kindnet, Cilium `ipam: kubernetes`, GKE alias
 * ranges), otherwise the CNI's own pools (Calico IPPools carved into /26 blocks per node, Cilium
 * cluster-pool), otherwise the cluster's pod CIDR (kube-controller-manager `--cluster-cidr`,
 * kubeadm `networking.podSubnet`), otherwise none: the range is unknown, which is not a failure.
 */
export interface RangePlan {
  source: 'node-podcidrs' | 'cni-pools' | 'cluster-cidr' | 'unknown';
  /** Where the ranges came from, for the report. */
  from: string;
  /** The ranges a pod on `node` must take its IPs from (empty: not judged). */
  rangesFor(node: string | undefined): string[];
}

/** `spec.podCIDRs` (one per family on a dual-stack node), or `spec.podCIDR` from older servers. */
export function nodePodCidrs(node: Node | undefined): string[] {
  const listed: string[] = node?.spec?.podCIDRs ?? [];
  if (listed.length > 0) return listed;
  return node?.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

export function rangePlan(shape: ClusterShape | undefined, nodes: readonly Node[]): RangePlan {
  const perNode = (name: string | undefined) => nodePodCidrs(nodes.find((n) => n.metadata?.name === name));
  const anyNodeCidr = nodes.some((n) => nodePodCidrs(n).length > 0);
  const byNode: RangePlan = {
    source: 'node-podcidrs',
    from: "each node's spec.podCIDRs",
    rangesFor: perNode,
  };
  const cluster = shape?.podPools.cluster;
  const clusterPlan = (why: string): RangePlan =>
    cluster
      ? { source: 'cluster-cidr', from: `${cluster.from} (${why})`, rangesFor: () => cluster.cidrs }
      : { source: 'unknown', from: why, rangesFor: () => [] };
  switch (shape?.cni?.name) {
    case 'calico': {
      const pools = shape.podPools.calico;
      // calico-ipam ignores node podCIDRs; host-local IPAM with usePodCidr uses them: accept both.
      if (pools)
        return {
          source: 'cni-pools',
          from: `${pools.from}${anyNodeCidr ? " (or the node's podCIDRs, for host-local IPAM)" : ''}`,
          rangesFor: (node) => [...pools.cidrs, ...perNode(node)],
        };
      return clusterPlan('Calico IPAM allocates from its IPPools, which kubeproof could not read');
    }
    case 'cilium': {
      const cilium = shape.podPools.cilium;
      if (cilium?.ipam === 'kubernetes' && anyNodeCidr)
        return { ...byNode, from: `${byNode.from} (Cilium ipam: kubernetes)` };
      if (cilium && cilium.cidrs.length > 0)
        return { source: 'cni-pools', from: `${cilium.from} ipam: ${cilium.ipam}`, rangesFor: () => cilium.cidrs };
      return clusterPlan('Cilium allocates from its cluster pool, which kubeproof could not read');
    }
    case 'aws-vpc-cni':
      return {
        source: 'unknown',
        from: 'the Amazon VPC CNI gives pods addresses of the VPC subnets, not from a pod CIDR',
        rangesFor: () => [],
      };
    default:
      if (anyNodeCidr) return byNode;
      // Without node podCIDRs the CNI picks its own range (host-local subnets written by hand,
      // weave's IPALLOC_RANGE...): a cluster-wide CIDR flag is no evidence of where IPs come from.
      return {
        source: 'unknown',
        from: 'nodes publish no spec.podCIDRs and the CNI reports no pools',
        rangesFor: () => [],
      };
  }
}
