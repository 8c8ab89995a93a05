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
}

/**
 * What the workload takes of a run's options (`AuditOptions` in src/checks/options.ts fits):
 * declared here so that the workload does not depend on the checks that use it.
 */
export interface WorkloadOptions {
  images: WorkloadImages;
}

export interface WorkloadImages {
  /** The web Deployment's image (agnhost netexec). */
  web: string;
  /** The client pod's image (busybox). */
  client: string;
  /** `.dockerconfigjson` text, made into the run namespace's image pull secret. */
  pullSecret?: string | undefined;
}
