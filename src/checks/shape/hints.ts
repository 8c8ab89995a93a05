import type { ClusterShape, KubeProxyMode } from './types.js';

/**
 * Hints that fit the cluster at hand: each names commands that exist on that kind of cluster
 * (REAL-SHAPES.md §2, §8). kubeadm, EKS, GKE and AKS run kube-proxy as a DaemonSet, k3s embeds it,
 * Cilium's kube-proxy replacement and GKE Dataplane V2 program Services in eBPF (no KUBE-* chains).
 */

const KP_LOGS: Record<string, string> = {
  daemonset:
    '`kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide` and `kubectl -n kube-system logs ds/kube-proxy`',
  'static-pods':
    '`kubectl -n kube-system get pods -o wide | grep kube-proxy` and `kubectl -n kube-system logs kube-proxy-<node>` (static pods)',
  systemd: '`systemctl status kube-proxy` and `journalctl -u kube-proxy` on the node',
};

function ruleCommand(mode: KubeProxyMode | undefined, nodePort?: number): string {
  switch (mode) {
    case 'ipvs':
      return nodePort ? `\`ipvsadm -Ln | grep :${nodePort}\`` : '`ipvsadm -Ln` (one virtual server per ClusterIP:port)';
    case 'nftables':
      return nodePort
        ? `\`nft list chain ip kube-proxy nodeports\` (\`ip6\` on IPv6) for port ${nodePort}`
        : '`nft list table ip kube-proxy` (`ip6 kube-proxy` on IPv6)';
    default:
      return nodePort
        ? `\`iptables -t nat -L KUBE-NODEPORTS -n | grep ${nodePort}\``
        : '`iptables -t nat -L KUBE-SERVICES -n` (KUBE-SVC-* chains with probability rules)';
  }
}

export type ProxyProblem = 'no-answer' | 'no-balance' | 'nodeport';

/** What to look at when ClusterIP or NodePort traffic is not handled, for this cluster's service proxy. */
export function serviceProxyHint(
  shape: ClusterShape | undefined,
  problem: ProxyProblem,
  opts: { nodes?: readonly string[]; nodePort?: number } = {},
): string {
  const on = opts.nodes?.length ? ` on ${opts.nodes.join(', ')}` : '';
  const port = problem === 'nodeport' ? opts.nodePort : undefined;
  const what =
    problem === 'no-answer'
      ? "has not programmed this Service's rules"
      : problem === 'no-balance'
        ? 'is not balancing over the endpoints'
        : 'does not answer the NodePort';
  const sp = shape?.serviceProxy;
  switch (sp?.kind) {
    case 'kube-proxy': {
      const mode = sp.mode ?? 'iptables';
      return `kube-proxy (${sp.runsAs === 'daemonset' ? 'DaemonSet' : sp.runsAs === 'static-pods' ? 'static pods' : 'host service'}, ${sp.mode ?? 'mode not visible, iptables by default'}) ${what}${on}: ${KP_LOGS[sp.runsAs]}, then on the node ${ruleCommand(mode === 'kernelspace' ? undefined : mode, port)}${problem === 'nodeport' ? ', and any host firewall or cloud security group on that port' : ''} (article 12).`;
    }
    case 'k3s-embedded':
      return `kube-proxy is embedded in the k3s process here (no kube-proxy pods) and ${what}${on}: \`journalctl -u k3s\` on servers or \`journalctl -u k3s-agent\` on agents, then ${ruleCommand('iptables', port)} (article 12).`;
    case 'cilium':
      return `Cilium replaces kube-proxy here (${sp.from}); its eBPF service map ${what}${on}: \`kubectl -n kube-system exec ds/cilium -- cilium-dbg service list\` (\`cilium service list\` before 1.15) and \`cilium-dbg status --verbose\` (KubeProxyReplacement); there are no KUBE-* iptables chains to look at.`;
    case 'gke-dataplane-v2':
      return `GKE Dataplane V2 (anetd, Cilium-based) programs Services in eBPF and ${what}${on}: \`kubectl -n kube-system get pods -o wide | grep anetd\` and \`kubectl -n kube-system logs ds/anetd\`; there is no kube-proxy and no KUBE-* iptables chains.`;
    default:
      return `kube-proxy (or whatever replaces it here) ${what}${on}: check it runs on the nodes and its logs, then ${ruleCommand(undefined, port)} or \`ipvsadm -Ln\` (article 12).`;
  }
}

/** What to look at when pods on other nodes are unreachable by pod IP, for this cluster's CNI. */
export function cniRoutingHint(shape: ClusterShape | undefined, clientNode: string | undefined): string {
  const lead = `Pods on other nodes than ${clientNode ?? 'the client'} are unreachable while same-node pods answer: the CNI does not route between nodes`;
  switch (shape?.cni?.name) {
    case 'calico':
      return `${lead}. Calico: \`kubectl -n kube-system get pods -l k8s-app=calico-node -o wide\` (all Ready?), \`kubectl -n kube-system logs ds/calico-node -c calico-node\`, \`calicoctl node status\` on a node (BGP peers Established), and that the encapsulation is allowed between nodes (IP-in-IP: IP protocol 4; VXLAN: UDP 4789) (article 14).`;
    case 'cilium':
      return `${lead}. Cilium: \`kubectl -n kube-system exec ds/cilium -- cilium-dbg status\` and \`cilium-dbg health status\` (node-to-node reachability), and that the tunnel is allowed between nodes (VXLAN UDP 8472 or Geneve UDP 6081) (article 14).`;
    case 'flannel':
      return shape.distribution === 'k3s'
        ? `${lead}. flannel is embedded in k3s: \`journalctl -u k3s\` / \`journalctl -u k3s-agent\` for flannel errors, and that VXLAN (UDP 8472) is allowed between nodes (article 14).`
        : `${lead}. flannel: \`kubectl -n kube-flannel logs ds/kube-flannel-ds\` (older installs: kube-system), and that VXLAN (UDP 8472) is allowed between nodes (article 14).`;
    case 'aws-vpc-cni':
      return `${lead}. Amazon VPC CNI: \`kubectl -n kube-system logs ds/aws-node -c aws-node\`, and the nodes' security groups must allow traffic between them (article 14).`;
    case 'kindnet':
      return `${lead}. kindnet: \`kubectl -n kube-system logs ds/kindnet\`, and \`ip route\` on each node must list the other nodes' pod CIDRs (article 14).`;
    case 'gke-dataplane-v2':
      return `${lead}. GKE Dataplane V2: \`kubectl -n kube-system logs ds/anetd\`, and the VPC firewall rules between the node pools (article 14).`;
    case undefined:
      return `${lead} (routes or overlay between the node pod CIDRs, firewall on the overlay port): on each node \`ip route\` must reach every other node's pod CIDR (\`kubectl get nodes -o custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDRs\`) (article 14).`;
    default:
      return `${lead} (${shape?.cni?.name}, ${shape?.cni?.from}): check its agent pods on the nodes involved and the tunnel or routes between nodes (article 14).`;
  }
}

/** What to look at when cluster DNS does not answer right, for this cluster's DNS server. */
export function dnsHint(shape: ClusterShape | undefined): string {
  const nodeLocal = shape?.dns.nodeLocal
    ? ' Pods ask NodeLocal DNSCache (169.254.20.10) first: `kubectl -n kube-system get ds node-local-dns` and `kubectl -n kube-system logs ds/node-local-dns`; it forwards to the `kube-dns-upstream` Service.'
    : '';
  const tail = ' and the kubelet `clusterDNS` setting (article 15).';
  switch (shape?.dns.server) {
    case 'kube-dns':
      return `kube-dns (not CoreDNS) serves cluster DNS here: \`kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide\`, \`kubectl -n kube-system logs deploy/kube-dns -c kubedns\` and \`-c dnsmasq\`, the kube-dns Service's endpoints${tail}${nodeLocal}`;
    case 'coredns':
      return `CoreDNS is not answering correctly: \`kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide\`, \`kubectl -n kube-system logs deploy/coredns\`, the Corefile (\`kubectl -n kube-system get configmap coredns -o yaml\`: cluster domain, kubernetes plugin), the kube-dns Service's endpoints${tail}${nodeLocal}`;
    default:
      return `Cluster DNS is not answering correctly: check the DNS pods behind the kube-dns Service in kube-system, that Service's endpoints, the server's configuration (cluster domain)${tail}${nodeLocal}`;
  }
}

/** Said where traffic was dropped (timed out): a NetworkPolicy drops packets the same way. */
export function networkPolicyNote(shape: ClusterShape | undefined, namespace: string): string {
  const enforces = !(shape?.cni?.name === 'flannel' && shape.distribution !== 'k3s');
  return enforces
    ? ` A NetworkPolicy (a default-deny in the namespace, or one a policy engine adds) drops packets the same way: \`kubectl get networkpolicy -n ${namespace}\`.`
    : '';
}

/** Where to look at a control-plane component: the provider's logs on a managed control plane, the node otherwise. */
export function controlPlaneHint(
  shape: ClusterShape | undefined,
  component: 'kube-controller-manager' | 'kube-scheduler',
): string {
  const logType = component === 'kube-controller-manager' ? 'controllerManager' : 'scheduler';
  switch (shape?.distribution) {
    case 'eks':
      return `EKS runs ${component} for you: enable control plane logging (log type \`${logType}\`) and read it in CloudWatch Logs, and check the cluster's health in the EKS console.`;
    case 'gke':
      return `GKE runs ${component} for you: read its logs in Cloud Logging (resource type k8s_control_plane_component) and check the cluster's operations.`;
    case 'aks':
      return `AKS runs ${component} for you: enable the \`${component}\` diagnostic setting and read it in Log Analytics.`;
    case 'k3s':
      return `${component} runs inside the k3s server process: \`journalctl -u k3s\` on the servers.`;
    default:
      return shape?.controlPlane === 'self-hosted' || shape?.distribution === 'kubeadm'
        ? `\`kubectl -n kube-system get pods -l component=${component}\` and \`kubectl -n kube-system logs -l component=${component}\` (static pods), or \`systemctl status ${component}\` and \`journalctl -u ${component}\` where it runs as a service.`
        : `check ${component} is running and its logs (a static pod in kube-system, or \`systemctl status ${component}\` on the control-plane hosts).`;
  }
}
