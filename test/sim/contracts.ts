/**
 * Contracts between the parts of the simulated cluster, so each part can be built and
 * tested on its own:
 *   store (API objects)  ◄── server (REST/watch over HTTPS)
 *        ▲                    │ subresources exec/attach/log/portforward
 *        │                    ▼
 *   controllers + kubelets ──► runtime (containers, streams) ──► network (DNS, kube-proxy, CNI)
 *                                   ▲
 *   storage (Secrets → real etcd, encryption providers, /metrics counters)
 *
 * Objects are plain JSON in the shape the real API server returns.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FaultName, FaultSpec } from './fault-catalog.js';

// biome-ignore lint/suspicious/noExplicitAny: API objects are open-ended JSON, as on the wire
export type KubeObj = { apiVersion: string; kind: string; metadata: ObjectMeta; [field: string]: any };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
}

/** Plural resource name as in the URL: 'pods', 'deployments', 'endpointslices', ... */
export type ResourceName = string;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObj;
}

/** `dryRun`: validate, default and answer as if written, but store nothing (the API's `?dryRun=All`). */
export interface StoreWriteOptions {
  dryRun?: boolean;
  /** Admission warnings of this write are appended here (the API server's `Warning` headers). */
  warnings?: string[];
}

export interface StoreDeleteOptions extends StoreWriteOptions {
  gracePeriodSeconds?: number;
}

/**
 * The API objects. Every write bumps one cluster-wide resourceVersion counter, as etcd's
 * revision does. Errors are thrown as StatusError (Kubernetes `Status` with code/reason).
 */
export interface SimStore {
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObj | undefined;
  list(resource: ResourceName, namespace?: string): KubeObj[];
  /** Assigns uid, resourceVersion, creationTimestamp, generation; honours generateName. */
  create(resource: ResourceName, obj: KubeObj, options?: StoreWriteOptions): KubeObj;
  /** Replaces the object; conflicts (409) when obj.metadata.resourceVersion is set and stale. */
  update(resource: ResourceName, obj: KubeObj, options?: StoreWriteOptions): KubeObj;
  /**
   * Removes the object (or marks it with deletionTimestamp while finalizers remain).
   * Pods, as in the real registry: a pod bound to a node and not yet finished is only marked
   * (deletionTimestamp = now + grace, deletionGracePeriodSeconds = grace; grace defaults to
   * spec.terminationGracePeriodSeconds) and its kubelet removes it once its containers are
   * stopped, by deleting again with gracePeriodSeconds 0. gracePeriodSeconds 0 removes at once.
   */
  delete(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    options?: StoreDeleteOptions,
  ): KubeObj | undefined;
  /** Current cluster-wide resourceVersion. */
  resourceVersion(): number;
  /**
   * Subscribe to changes of one resource (all namespaces when namespace is undefined).
   * With sinceResourceVersion, replays retained history after it first, or throws
   * StatusError 410 Expired when that history is no longer kept.
   */
  watch(
    resource: ResourceName,
    namespace: string | undefined,
    onEvent: (event: WatchEvent) => void,
    sinceResourceVersion?: number,
  ): () => void;
}

/** Named faults, toggled at start (`--fault NAME`) or at run time through the control endpoint. */
export interface FaultSet {
  has(name: FaultName | FaultSpec): boolean;
  /** Arguments of parameterised faults that are on, e.g. 'node-notready' → ['worker-1']. */
  args(name: FaultName): string[];
  enable(spec: FaultSpec): void;
  disable(spec: FaultSpec): void;
  list(): FaultSpec[];
  onChange(listener: () => void): () => void;
}

export interface Latencies {
  podStartMs: number;
  endpointDelayMs: number;
  apiLatencyMs: number;
  dnsLatencyMs: number;
}

/** What the runtime and network may read and report back; implemented by the kubelets/index. */
export interface ClusterView {
  store: SimStore;
  faults: FaultSet;
  latencies: Latencies;
  clusterDomain: string;
  /** The CNI enforces NetworkPolicy (Calico, Cilium, …); the bridge plugin of KTHW does not. */
  enforcesNetworkPolicy?: boolean;
  /** The kube-apiserver's identity when it calls a kubelet (used in Forbidden messages). */
  apiserverKubeletUser: string;
  /**
   * The etcd static pod's `etcdctl`: run with the argv after `etcdctl`, against the storage
   * behind this simulation (a real etcd when one is configured). Provided by storage/.
   */
  etcdctl(args: string[], stdin?: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** A container's main process ended (killed, crashed): the node's kubelet decides what happens next. */
  onContainerExit(
    namespace: string,
    pod: string,
    container: string,
    exitCode: number,
    reason: string,
    /** containerd's message for a container that could not start (StartError). */
    message?: string,
  ): void;
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** False when the API server is older than v5.channel.k8s.io (server/version.ts remoteCommandV5); default true. */
  v5?: boolean;
}

/** A container probe as in the pod spec (core/v1 Probe), defaulted or not. */
export interface ProbeSpec {
  // biome-ignore lint/suspicious/noExplicitAny: probe handlers are open-ended JSON, as on the wire
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: any[] };
  tcpSocket?: { port?: number | string; host?: string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** One probe's result: `output` is what the kubelet puts after `Readiness probe failed: `. */
export interface ProbeOutcome {
  success: boolean;
  output: string;
}

/**
 * Containers and the kubelet's streaming endpoints. The API server authenticates and
 * authorizes the caller, then hands the request over; the runtime plays the kubelet's part
 * (including a kubelet that refuses the API server).
 */
export interface ContainerRuntime {
  /** The kubelet started a container (state Running): begin its emulated process. */
  startContainer(pod: KubeObj, container: string): void;
  /** The kubelet stopped a container (pod deleted, or process gone). */
  stopContainer(pod: KubeObj, container: string): void;
  /**
   * The first half of stopping a container (the CRI's StopContainer with a timeout): SIGTERM to
   * its main process; `onExited` runs once that process has ended (at once when it is not
   * running). A process that ignores TERM runs on until the kubelet's stopContainer (SIGKILL)
   * at the end of the grace period. Absent in runtimes without processes.
   */
  terminateContainer?(pod: KubeObj, container: string, onExited: () => void): void;
  /** pods/exec and pods/attach as a WebSocket upgrade (v5/v4 channel protocols). */
  handleExec(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void;
  /** pods/log (follow, tailLines, timestamps, previous, sinceSeconds, limitBytes). */
  handleLogs(req: IncomingMessage, res: ServerResponse, pod: KubeObj, container: string, query: URLSearchParams): void;
  /**
   * pods/portforward: WebSocket v4.channel.k8s.io (as @kubernetes/client-node speaks it), SPDY,
   * or SPDY tunnelled in a WebSocket when the API server's version allows it (`spdyTunnel`).
   */
  handlePortForward(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: KubeObj,
    ports: number[],
    options?: { spdyTunnel: boolean },
  ): void;
  /**
   * Runs one probe against a running container, as the kubelet's prober does (absent in
   * runtimes without containers: probes then pass).
   */
  probe?(pod: KubeObj, container: string, probe: ProbeSpec, timeoutMs: number): Promise<ProbeOutcome>;
  /** Stops every emulated process and drops fault subscriptions (call when the simulation stops). */
  dispose?(): void;
}
