/**
 * Narrow typed views of the Kubernetes objects kubeproof reads: only the fields checks look at,
 * every one optional (a server may leave any out), named as the API names them (k8s.io/api core/v1,
 * apps/v1, discovery/v1, coordination/v1, crd.projectcalico.org/v1). ClusterAccess returns these
 * per resource, so a misspelt field path is a compile error, not a silent `undefined` read as a
 * failed cluster.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
}

/** What every object has. */
export type Typed = { apiVersion?: string; kind?: string; metadata?: ObjectMeta };

export type Condition = {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
};

export type ContainerState = {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; startedAt?: string; finishedAt?: string };
};

export type ContainerStatus = {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  image?: string;
  containerID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
};

export type Probe = { httpGet?: { path?: string; port?: number | string }; periodSeconds?: number };

export type Container = {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name?: string; value?: string }>;
  ports?: Array<{ name?: string; containerPort?: number; protocol?: string }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
};

export type Toleration = { key?: string; operator?: string; value?: string; effect?: string };

export type PodSpec = {
  nodeName?: string;
  containers?: Container[];
  tolerations?: Toleration[];
  // biome-ignore lint/suspicious/noExplicitAny: affinity is read for one nested length only, and written verbatim
  affinity?: any;
  hostNetwork?: boolean;
};

export type Pod = Typed & {
  spec?: PodSpec;
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip?: string }>;
    hostIP?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
  };
};

export type Taint = { key?: string; value?: string; effect?: string };

export type Node = Typed & {
  spec?: { unschedulable?: boolean; taints?: Taint[]; podCIDR?: string; podCIDRs?: string[]; providerID?: string };
  status?: {
    conditions?: Condition[];
    addresses?: Array<{ type?: string; address?: string }>;
    allocatable?: Record<string, string>;
    capacity?: Record<string, string>;
    nodeInfo?: Record<string, string>;
  };
};

export type PodTemplate = { metadata?: ObjectMeta; spec?: PodSpec };

export type Deployment = Typed & {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    observedGeneration?: number;
    conditions?: Condition[];
  };
};

export type ReplicaSet = Typed & {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[] };
};

export type DaemonSet = Typed & {
  spec?: { template?: PodTemplate };
  status?: { desiredNumberScheduled?: number; numberReady?: number; numberAvailable?: number };
};

export type ServicePort = {
  name?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
};

export type Service = Typed & {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: string[];
    ports?: ServicePort[];
    selector?: Record<string, string>;
  };
};

export type EndpointSlice = Typed & {
  addressType?: string;
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    nodeName?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  }>;
  ports?: Array<{ name?: string; port?: number; protocol?: string }>;
};

/** A core/v1 Event, or an events.k8s.io/v1 one (`regarding`, `note`). */
export type KubeEvent = Typed & {
  type?: string;
  reason?: string;
  message?: string;
  note?: string;
  regarding?: { kind?: string; name?: string; namespace?: string; uid?: string };
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
};

export type Lease = Typed & { spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number } };

export type ConfigMap = Typed & { data?: Record<string, string> };

export type Secret = Typed & { type?: string; data?: Record<string, string>; stringData?: Record<string, string> };

/** Calico's IPPool (crd.projectcalico.org/v1). */
export type IpPool = Typed & { spec?: { cidr?: string; disabled?: boolean; blockSize?: number } };
