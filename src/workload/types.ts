/** The in-cluster fixture created once per run and shared by the smoke checks. */
export interface WorkloadHandle {
  namespace: string;
  deploymentName: string;
  serviceName: string;
  nodePortServiceName: string;
  clientPodName: string;
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
}

/**
 * What the workload takes of a run's options (`AuditOptions` in src/checks/options.ts fits):
 * declared here so that the workload does not depend on the checks that use it.
 */
export interface WorkloadOptions {
  images: WorkloadImages;
  /** What operators add to every kubeproof pod so their policies admit it (`options.pods`). */
  pods: WorkloadPodOptions;
  /** What operators add to the run namespace (`options.namespace`). */
  namespace: { labels: Record<string, string>; annotations: Record<string, string> };
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

/** What became of kubeproof's allow NetworkPolicy (network-policy.ts), for the report and for checks whose traffic was dropped. */
export type NetworkPolicyOutcome =
  | { created: true; name: string; nodePorts: number[] }
  | {
      created: false;
      /** `forbidden`: kubeproof may not create NetworkPolicies (RBAC); `refused`: anything else the API server said. */
      reason: 'forbidden' | 'refused';
      message: string;
    };
