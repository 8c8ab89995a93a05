/**
 * What kind of cluster this is, as far as the API shows it (REAL-SHAPES.md §1–5): read once per
 * run from kube-system and the nodes, and used by checks to judge against the cluster's own
 * design (pod IP ranges) and to give hints with commands that exist there. Every field says
 * where it came from; what could not be read is listed in `unseen`, never guessed.
 */

export type Distribution = 'eks' | 'gke' | 'aks' | 'k3s' | 'kind' | 'minikube' | 'kubeadm' | 'unknown';

export type CniName =
  | 'calico'
  | 'cilium'
  | 'flannel'
  | 'aws-vpc-cni'
  | 'kindnet'
  | 'weave'
  | 'antrea'
  | 'gke-dataplane-v2'
  | 'azure-cni';

/** Who programs Service ClusterIPs and NodePorts on the nodes. */
export type ServiceProxy =
  | {
      kind: 'kube-proxy';
      runsAs: 'daemonset' | 'static-pods' | 'systemd';
      mode: KubeProxyMode | undefined;
      from: string;
    }
  | { kind: 'k3s-embedded'; from: string }
  | { kind: 'cilium'; from: string }
  | { kind: 'gke-dataplane-v2'; from: string }
  | { kind: 'unknown'; from: string };

export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'kernelspace';

export interface DnsShape {
  /** The server behind the `kube-dns` Service. */
  server: 'coredns' | 'kube-dns' | 'unknown';
  /** NodeLocal DNSCache (DaemonSet `node-local-dns`) answers pods first. */
  nodeLocal: boolean;
  from: string;
}

export interface ClusterShape {
  distribution: Distribution;
  controlPlane: 'managed' | 'self-hosted' | 'unknown';
  cni: { name: CniName; from: string } | undefined;
  serviceProxy: ServiceProxy;
  dns: DnsShape;
  /** Pod address pools the CNI or the cluster reports (not per node). */
  podPools: {
    calico?: { cidrs: string[]; from: string };
    cilium?: { ipam: string; cidrs: string[]; from: string };
    /** kube-controller-manager `--cluster-cidr` or kubeadm's `networking.podSubnet`. */
    cluster?: { cidrs: string[]; from: string };
  };
  /** What kubeproof could not read (permission, absent API), said in evidence. */
  unseen: string[];
}
