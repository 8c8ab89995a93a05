/**
 * The one seam between checks and a cluster. Built from a sanitized kubeconfig
 * (see kubeconfig intake); every call honours an AbortSignal and a deadline, and
 * every failure is thrown as a ClusterError that says whether the cluster answered
 * (e.g. 404, 422, a Forbidden from the kubelet) or kubeproof could not tell
 * (unreachable, 401, RBAC denied to us, our own timeout).
 */

export type ClusterErrorKind =
  | 'unreachable' // connection refused/reset, DNS, TLS handshake
  | 'unauthorized' // 401: credentials refused
  | 'forbidden' // 403 from RBAC for kubeproof's own user
  | 'not-found'
  | 'conflict'
  | 'invalid' // 422 / 400
  | 'timeout' // kubeproof's own deadline
  | 'aborted' // cancelled
  | 'server'; // any other answer from the server (5xx, upgrade refused by kubelet, ...)

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code from the exec status channel; 0 on Success. */
  exitCode: number;
}

/** A Kubernetes object as plain JSON (what the API server sent). */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: objects are read by path in checks; each check narrows what it reads
  [key: string]: any;
};
