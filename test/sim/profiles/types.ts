/**
 * A cluster profile: how one common kind of cluster looks from the API and behaves on its data
 * path, as a bundle the simulation starts with (`npm run sim -- --profile NAME`,
 * `startSimCluster({ profile })`). Each profile's file cites the upstream source of its facts.
 */
import type { AdmissionOptions } from '../admission/index.js';
import type { KubeObj } from '../contracts.js';
import type { FaultName } from '../fault-catalog.js';

export interface NodeShape {
  name: string;
  /** InternalIPs, primary family first (two on dual-stack). */
  internalIps: string[];
  /** spec.podCIDRs as the node IPAM controller set them (undefined: none published). */
  podCidrs?: string[];
  /** The ranges the CNI really hands this node's pods addresses from, when not podCidrs. */
  podRanges?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  providerID?: string;
  controlPlane: boolean;
  osImage?: string;
  containerRuntimeVersion?: string;
  kernelVersion?: string;
  /** Extra node addresses after the InternalIPs (InternalDNS, …); Hostname is always added. */
  extraAddresses?: Array<{ type: string; address: string }>;
}

/** Where kube-proxy runs. */
export type KubeProxyPlacement =
  /** one unowned kube-proxy pod per node (the simulation's historical default) */
  | 'pods'
  /** a kube-proxy DaemonSet (kubeadm, EKS) */
  | 'daemonset'
  /** static `kube-proxy-<node>` mirror pods (GKE Dataplane V1) */
  | 'static-pods'
  /** inside the k3s process: no pods at all */
  | 'embedded'
  /** no kube-proxy: Cilium's eBPF kube-proxy replacement */
  | 'none';

export interface ClusterShape {
  /** Node objects (the control plane first where it is registered). */
  nodes: NodeShape[];
  /** Service CIDRs, primary family first (kube-apiserver --service-cluster-ip-range). */
  serviceCidrs: string[];
  /** The cluster's pod CIDR as the controller-manager knows it (--cluster-cidr), for the static pods. */
  clusterCidr: string;
  /** The address the `kubernetes` Service's endpoints name (the API server as pods reach it). */
  apiserverAddress: string;
  /** The DNS server behind the `kube-dns` Service. */
  dns: 'coredns' | 'kube-dns';
  /** Node the DNS pods run on (default: the control plane, else the first node). */
  dnsNode?: string;
  kubeProxy: KubeProxyPlacement;
  /** Control-plane mirror pods (kube-apiserver, etcd, …) visible in kube-system. */
  controlPlanePods: boolean;
  /** Managed control plane: no etcd access, no static pods; encryption is the provider's setting. */
  managedControlPlane: boolean;
  /** Non-resource URLs RBAC denies the audit user (EKS: /metrics for a cluster reader). */
  deniedPaths?: string[];
  /** Extra kube-system objects (CNI DaemonSets, add-on Deployments, ConfigMaps). */
  addons?: AddonObjects;
}

export interface AddonObjects {
  daemonSets?: KubeObj[];
  deployments?: KubeObj[];
  configMaps?: KubeObj[];
  serviceAccounts?: string[];
}

export interface AdmissionShape extends AdmissionOptions {
  /** A policy engine that writes a default-deny ingress+egress NetworkPolicy into every new namespace. */
  defaultDenyNetworkPolicy?: boolean;
}

export interface ClusterProfile {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Builds the shape for `workers` worker nodes (profiles with a fixed node count ignore it). */
  shape(workers: number): ClusterShape;
  admission?: AdmissionShape;
  /** The CNI enforces NetworkPolicy objects on the pod network. */
  enforcesNetworkPolicy?: boolean;
  /**
   * The user the API server presents to kubelets (its kubelet client certificate's CN), as a
   * kubelet's Forbidden names it. Default: kubeadm's `kube-apiserver-kubelet-client`.
   */
  apiserverKubeletUser?: string;
  /** First pull of an image on each node takes this long (virtual ms, before scaling); later pulls are cached. */
  firstPullMs?: { min: number; max: number };
  /**
   * Faults that do not apply here, each with the sentence that says why and what plays that part
   * instead (shown when the fault is asked for). Every other fault applies: the simulation's fault
   * breaks whichever component has that job on this kind of cluster (e.g. `kube-proxy-no-balance`
   * on cilium-kpr breaks Cilium's per-connection service load balancing the same way).
   */
  refusedFaults?: Partial<Record<FaultName, string>>;
}
