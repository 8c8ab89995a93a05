/**
 * The one seam between checks and a cluster. Built from a sanitized kubeconfig
 * (see kubeconfig intake); every call honours an AbortSignal and a deadline, and
 * every failure is thrown as a ClusterError that says whether the cluster answered
 * (e.g. 404, 422, a Forbidden from the kubelet) or kubeproof could not tell
 * (unreachable, 401, RBAC denied to us, our own timeout).
 *
 * The implementation lives in ./cluster/ (createClusterAccess); checks and the
 * engine only see this interface, so tests can substitute it.
 */

import type { OutboundPolicy } from '../net/outbound-policy.js';

import type { AdmissionDenial } from './cluster/admission.js';
import type {
  ConfigMap,
  DaemonSet,
  Deployment,
  EndpointSlice,
  IpPool,
  KubeEvent,
  Lease,
  Node,
  Pod,
  ReplicaSet,
  Secret,
  Service,
  Typed,
} from './objects.js';

export type { AdmissionDenial, AdmissionKind } from './cluster/admission.js';

export type ClusterErrorKind =
  | 'unreachable' // connection refused/reset, DNS, TLS handshake
  | 'unauthorized' // 401: credentials refused
  | 'forbidden' // 403 from RBAC for kubeproof's own user
  | 'policy' // an admission plugin or webhook denied the request (Pod Security, webhook, VAP, quota, LimitRange)
  | 'not-found'
  | 'conflict'
  | 'invalid' // 422 / 400
  | 'timeout' // kubeproof's own deadline
  | 'aborted' // cancelled
  | 'too-large' // the answer exceeded kubeproof's response limit (not read further)
  | 'server'; // any other answer from the server (5xx, upgrade refused by kubelet, ...)

/**
 * Every failure of a ClusterAccess call. `kind` decides the verdict: `unreachable`,
 * `unauthorized`, `forbidden`, `timeout`, `aborted` mean kubeproof could not tell (check
 * `error`); the others are things the cluster said, which a check may read as evidence.
 */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** HTTP status when the server answered (403 from the kubelet is kind `server`, httpStatus 403). */
    readonly httpStatus?: number,
    /** `reason` of the Kubernetes Status body (Forbidden, NotFound, Expired, InternalError...). */
    readonly reason?: string,
    /** For kind `policy`: which admission policy denied the request, and what it said. */
    readonly admission?: AdmissionDenial,
  ) {
    super(message);
  }
}

/**
 * `reason` of the ClusterError a wait ends with when the API server's connections kept breaking
 * until the deadline (see ClusterAccess.waitFor): kind `unreachable`, but the server answered
 * before, so the advice is about what sits in between, not the kubeconfig's server URL.
 */
export const WATCH_INTERRUPTED = 'WatchInterrupted';

/** Kinds that mean "kubeproof could not tell" rather than "the cluster answered". */
export const INCONCLUSIVE_KINDS: ReadonlySet<ClusterErrorKind> = new Set([
  'unreachable',
  'unauthorized',
  'forbidden',
  'policy',
  'timeout',
  'aborted',
  'too-large',
]);

/** Whether the error means kubeproof could not tell (→ `error`), not a cluster answer. */
export function isInconclusive(err: unknown): err is ClusterError {
  return err instanceof ClusterError && INCONCLUSIVE_KINDS.has(err.kind);
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * The caller judges the state right now (a failure's evidence): a run cache (src/kube/cache)
   * must ask the server rather than answer from a snapshot it took earlier in the run.
   */
  fresh?: boolean;
}

/** How a wait's watch is doing, for the error its caller reports when the wait runs out. */
export interface WatchHealth {
  /** Interruptions seen (closed, reset, expired, refused, 5xx), oldest first, at most the last 5. */
  interruptions: string[];
  /** Whether the latest attempt to list or open a watch failed (we have no live view right now). */
  interrupted: boolean;
  relists: number;
  rewatches: number;
}

export interface WaitForOptions extends CallOptions {
  /**
   * Kept up to date as the wait's watch is interrupted and resumed: a shared cache (src/kube/cache)
   * reads it to tell its own waiters' deadlines from a watch that could not be resumed.
   */
  watchHealth?: WatchHealth;
  /**
   * A state the caller already holds (the object a write answered with, and its
   * resourceVersion): the wait skips its first list and watches from that resourceVersion, which
   * the API server answers with every change after it; when that version is too old (410 Gone)
   * it lists, as it would without it (client-go tools/cache/reflector.go: watch from the last
   * synced resourceVersion, relist on an expired one).
   */
  from?: { resourceVersion: string; objects: KubeObject[] };
}

export interface DeleteCallOptions extends CallOptions {
  /**
   * DeleteOptions `preconditions.uid`: delete only the object with this uid. The API server
   * answers 409 Conflict (ClusterError `conflict`) when the object of that name has another uid
   * (kubernetes/kubernetes pkg/registry/core/namespace/storage/storage.go, Delete: "precondition
   * failed: UID in precondition"; the generic registry store checks it the same way).
   */
  uid?: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code from the exec status channel; 0 on Success. */
  exitCode: number;
}

/**
 * A Kubernetes object as plain JSON, for what kubeproof writes (manifests) and passes through
 * untouched. What it reads comes typed per resource (ObjectViews, src/kube/objects.ts).
 */
export type KubeObject = Typed & {
  // biome-ignore lint/suspicious/noExplicitAny: manifests are built freely; reads go through the typed views
  [key: string]: any;
};

/**
 * The typed view each resource is read as (src/kube/objects.ts): what `get`, `list`, `patch`,
 * `create` and `waitFor` hand back for it.
 */
export interface ObjectViews {
  namespaces: Typed & { status?: { phase?: string } };
  nodes: Node;
  pods: Pod;
  services: Service;
  endpointslices: EndpointSlice;
  deployments: Deployment;
  replicasets: ReplicaSet;
  events: KubeEvent;
  secrets: Secret;
  configmaps: ConfigMap;
  leases: Lease;
  serviceaccounts: Typed & { secrets?: Array<{ name?: string }> };
  daemonsets: DaemonSet;
  ippools: IpPool;
  networkpolicies: Typed & {
    spec?: { podSelector?: { matchLabels?: Record<string, string> }; policyTypes?: string[] };
  };
}

export type ObjectOf<K extends ResourceKind> = ObjectViews[K];

/** The resources kubeproof reads or writes; each maps to one API path (see cluster/resources.ts). */
export type ResourceKind =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'services'
  | 'endpointslices'
  | 'deployments'
  | 'replicasets'
  | 'events'
  | 'secrets'
  | 'configmaps'
  | 'leases'
  | 'serviceaccounts'
  | 'daemonsets'
  /** Calico's IP pools (crd.projectcalico.org/v1), read to know where pod IPs come from. */
  | 'ippools'
  /** networking.k8s.io/v1: kubeproof's allow policy in its run namespace, and what selects its pods. */
  | 'networkpolicies';

export interface ListSelector {
  /** Omit for cluster-scoped resources or to list across all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * One page of at most this many objects; the answer's `continue` then asks for the next
   * (k8s.io/apimachinery pkg/apis/meta/v1/types.go: ListOptions.Limit, ListMeta.Continue).
   * Lists only: a run cache sends a paged list to the server.
   */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
}

export interface ListResult<T = KubeObject> {
  items: T[];
  resourceVersion: string;
  /** Set when a paged list (`limit`) has more objects: pass it back as the selector's `continue`. */
  continue?: string;
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  platform?: string;
}

/**
 * SelfSubjectAccessReview resourceAttributes. Omit namespace for cluster scope / all namespaces.
 * With `nonResourceURL` the review asks nonResourceAttributes `{ path, verb }` instead (see
 * accessReviewSpec); group, resource and namespace are then ignored.
 */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A non-resource URL such as `/metrics`. */
  nonResourceURL?: string;
}

/** The `spec` of the SelfSubjectAccessReview that asks this question. */
export function accessReviewSpec(question: AccessQuestion): Record<string, unknown> {
  const { nonResourceURL, ...resourceAttributes } = question;
  if (nonResourceURL !== undefined) return { nonResourceAttributes: { path: nonResourceURL, verb: question.verb } };
  return { resourceAttributes };
}

/** One rule of a SelfSubjectRulesReview's `resourceRules` (authorization.k8s.io/v1 ResourceRule). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  /** `pods`, `pods/exec`, `*`, `*\/exec`. */
  resources?: string[];
  resourceNames?: string[];
}

/** One rule of `nonResourceRules`: verbs on URL paths (`/metrics`, `/api/*`). */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/**
 * What a SelfSubjectRulesReview answered for one namespace: the rules that apply there
 * (ClusterRoleBindings' and that namespace's RoleBindings'). `incomplete` when an authorizer could
 * not list its rules (a webhook), or a binding could not be resolved: a permission it does not
 * list may still be granted.
 */
export interface RulesReview {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface AccessAnswer {
  allowed: boolean;
  reason?: string;
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  /** Defaults to the pod's only/first container, as the API server does. */
  container?: string;
  command: string[];
  /**
   * Sent on the stdin channel (`stdin=true`) and never closed: on v4.channel.k8s.io closing stdin
   * closes the whole connection, so only a command that knows where its input ends (etcdctl txn:
   * blank lines) may take it.
   */
  stdin?: string;
}

export interface LogsRequest {
  namespace: string;
  pod: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  /** Each line prefixed with the runtime's RFC 3339 timestamp and a space (`timestamps=true`). */
  timestamps?: boolean;
}

/**
 * A followed pods/log stream (`follow=true`), read line by line. The kubelet first sends the
 * requested tail of the existing log, then each line as the runtime writes it, and ends the
 * stream only when the container stops (kubernetes/kubernetes
 * pkg/kubelet/kuberuntime/logs/logs.go, ReadLogs: tail start, then fsnotify waits).
 */
export interface LogStream {
  /**
   * The next whole line (without its newline), or undefined once the stream ended or
   * `deadline` (epoch ms) passed first; a line still on its way is kept for the next call.
   */
  nextLine(deadline: number): Promise<string | undefined>;
}

export interface PortForwardGetRequest {
  namespace: string;
  pod: string;
  port: number;
  /** HTTP path requested through the tunnel, e.g. `/hostname`. */
  path: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ClusterAccess {
  /** The API server URL (non-secret; for evidence and cluster identity). */
  readonly server: string;
  /**
   * The outbound policy this run dials through; anything else the run dials (etcd endpoints)
   * goes through it too. Absent on test doubles: those dialers then use the strict policy.
   */
  readonly outbound?: OutboundPolicy;

  version(opts?: CallOptions): Promise<ServerVersion>;
  /** SelfSubjectAccessReview: may kubeproof's own user do this? */
  canI(question: AccessQuestion, opts?: CallOptions): Promise<AccessAnswer>;
  /** SelfSubjectRulesReview: every rule kubeproof's own user has in `namespace`. */
  rulesReview(namespace: string, opts?: CallOptions): Promise<RulesReview>;

  get<K extends ResourceKind>(resource: K, name: string, namespace?: string, opts?: CallOptions): Promise<ObjectOf<K>>;
  list<K extends ResourceKind>(
    resource: K,
    selector?: ListSelector,
    opts?: CallOptions,
  ): Promise<ListResult<ObjectOf<K>>>;
  create<K extends ResourceKind>(
    resource: K,
    obj: KubeObject,
    namespace?: string,
    opts?: CallOptions,
  ): Promise<ObjectOf<K>>;
  /** JSON merge patch (application/merge-patch+json). */
  patch<K extends ResourceKind>(
    resource: K,
    name: string,
    patch: Record<string, unknown>,
    namespace?: string,
    opts?: CallOptions,
  ): Promise<ObjectOf<K>>;
  /**
   * Deletes with Background propagation; resolves when the API server accepted it (not when it is
   * gone), with the object it answered with (namespaces, pods: the object, marked for deletion or
   * as last stored), or undefined when it answered with a Status.
   */
  delete(
    resource: ResourceKind,
    name: string,
    namespace?: string,
    opts?: DeleteCallOptions,
  ): Promise<KubeObject | undefined>;

  /**
   * Lists, then watches from that resourceVersion, keeping the current set of matching
   * objects; resolves with the predicate's first non-undefined answer. No polling.
   * Times out (ClusterError `timeout`) after opts.timeoutMs, or aborts with opts.signal.
   * Survives interrupted watches as client-go's reflector does (closed, reset, 410 Gone: re-watch
   * or re-list, with back-off); if the deadline comes while it cannot reconnect, it throws kind
   * `unreachable` with reason WATCH_INTERRUPTED instead of `timeout` (never a verdict).
   */
  waitFor<K extends ResourceKind, T>(
    resource: K,
    selector: ListSelector,
    predicate: (objects: readonly ObjectOf<K>[]) => T | undefined,
    opts?: WaitForOptions,
  ): Promise<T>;

  /** pods/exec over WebSocket; a non-zero exit is a result, not an error. */
  exec(req: ExecRequest, opts?: CallOptions): Promise<ExecResult>;
  /** pods/log as text. */
  logs(req: LogsRequest, opts?: CallOptions): Promise<string>;
  /**
   * One pods/log request with `follow=true`, handed to `use` as lines; the stream is closed
   * when `use` settles (or the call's timeout or signal ends it first): one request, never a
   * leaked connection. Its bytes count against the logs cap (past it: `too-large`).
   */
  followLogs<T>(req: LogsRequest, use: (lines: LogStream) => Promise<T>, opts?: CallOptions): Promise<T>;
  /** One HTTP/1.1 GET through pods/portforward (WebSocket), connection closed afterwards. */
  portForwardGet(req: PortForwardGetRequest, opts?: CallOptions): Promise<HttpAnswer>;
  /**
   * `count` GETs one after the other over one forwarded connection (HTTP/1.1 keep-alive, one
   * pods/portforward upgrade), closed after the last; the answers in order.
   */
  portForwardGets(req: PortForwardGetRequest, count: number, opts?: CallOptions): Promise<HttpAnswer[]>;
  /** GET an arbitrary API path (e.g. `/metrics`) and return the body as text; non-2xx throws. */
  rawGet(path: string, opts?: CallOptions): Promise<string>;

  /** Releases keep-alive sockets. */
  close(): void;
}
