import type { AdmissionDenial } from '../kube/cluster-access.js';

/** The in-cluster fixture created once per run and shared by the smoke checks. */
export interface WorkloadHandle {
  namespace: string;
  /**
   * The namespace is the operator's (`options.namespace`): kubeproof neither creates nor deletes
   * it, and cleanup deletes only the objects carrying this run's labels.
   */
  sharedNamespace: boolean;
  /** Labels on every object the run creates: kubeproof's own and the run id. */
  runLabels: Readonly<Record<string, string>>;
  /** What selects this run's web pods: the Deployment's selector, the Service's, the checks' pod lists. */
  webSelector: Readonly<Record<string, string>>;
  /** webSelector as a list call's labelSelector. */
  webLabelSelector: string;
  deploymentName: string;
  /** The web Service every Service check calls (ClusterIP, DNS name, EndpointSlices, NodePort). */
  serviceName: string;
  /**
   * Why `serviceName` is a ClusterIP Service rather than a NodePort one: the API server refused
   * type NodePort (no free port in --service-node-port-range) or an admission policy denied it (a
   * ResourceQuota on `services.nodeports`, a webhook). service.nodeport reports it; the checks of
   * the ClusterIP still run.
   */
  nodePortRefused?: NodePortRefusal;
  clientPodName: string;
  restartProbePodName: string;
  /** The Secret holding `options.images.pullSecret`, when one is given. */
  pullSecretName: string;
  replicas: number;
  /**
   * Requests kubeproof made to the web pods, so pods.logs can look for them: one entry per
   * answered `GET /hostname`, the name of the pod that answered.
   */
  requestLog: string[];
  /**
   * kubeproof's allow NetworkPolicy in the namespace (set once the workload is created): checks
   * whose traffic was dropped read it to tell a NetworkPolicy apart from a broken network.
   */
  networkPolicy?: NetworkPolicyOutcome;
  /**
   * kubelet.restart's probe pod, created as soon as the web workload is up (when the plan has
   * that check) so that its pod start overlaps the other checks instead of following them.
   * `created` resolves true once the API server accepted it; false sends the check back to
   * creating it itself (and meeting whatever refused it).
   */
  restartProbe?: { wanted: boolean; created?: Promise<boolean> };
}

/**
 * What the workload takes of a run's options (`AuditOptions` in src/checks/options.ts fits):
 * declared here so that the workload does not depend on the checks that use it.
 */
export interface WorkloadOptions {
  images: WorkloadImages;
  /** What operators add to every kubeproof pod so their policies admit it (`options.pods`). */
  pods: WorkloadPodOptions;
  /**
   * `options.namespace`: what operators add to the namespace kubeproof creates, or the name of
   * their own pre-existing namespace to run in (least-privilege mode).
   */
  namespace?: string | { labels: Record<string, string>; annotations: Record<string, string> } | undefined;
}

export interface WorkloadPodOptions {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pod tolerations, as in the Pod spec. */
  tolerations: ReadonlyArray<Record<string, unknown>>;
  /** Added to the pods' nodeSelector (which always holds `kubernetes.io/os: linux`). */
  nodeSelector: Record<string, string>;
  priorityClassName?: string | undefined;
}

export interface WorkloadImages {
  /** The web Deployment's image (agnhost netexec). */
  web: string;
  /** The client pod's image (busybox). */
  client: string;
  /** `.dockerconfigjson` text, made into the run namespace's image pull secret. */
  pullSecret?: string | undefined;
}

/** The API server's answer to the NodePort Service's create (set by create.ts). */
export interface NodePortRefusal {
  message: string;
  /** Set when an admission policy denied it (kubeproof could not tell), not the cluster refusing. */
  denial?: AdmissionDenial;
}

/** What became of kubeproof's allow NetworkPolicy (network-policy.ts), for the report and for checks whose traffic was dropped. */
export type NetworkPolicyOutcome =
  | { created: true; name: string; nodePorts: number[] }
  | {
      created: false;
      /** `forbidden`: kubeproof may not create NetworkPolicies (RBAC); `refused`: anything else the API server said. */
      reason: 'forbidden' | 'refused';
      message: string;
    };
