/**
 * How much of an API server's answer kubeproof reads, per kind of request. Enforced while the
 * bytes stream in (never after buffering the whole body): an answer past its cap is a
 * `too-large` ClusterError ("kubeproof could not tell", cause `unexpected`), never a cluster failure.
 * Sized for real clusters: a Kubernetes object is at most ~1.5 MiB (etcd's request limit), a list
 * of a few thousand pods a few MiB; kubeproof's own logs and exec output are a few lines.
 */
export interface ResponseLimits {
  /** One object: get, create, patch, /version, access reviews. */
  objectBytes: number;
  /** One list call. */
  listBytes: number;
  /** One watch event (one line of the stream). */
  watchEventBytes: number;
  /** pods/log text. */
  logBytes: number;
  /** stdout + stderr of one exec. */
  execBytes: number;
  /** One HTTP answer through port-forward. */
  portForwardBytes: number;
  /** rawGet (e.g. kube-apiserver /metrics, which is large on big clusters). */
  rawBytes: number;
  /** How much of a non-2xx body is read to find a Status in it; the rest is discarded. */
  errorBodyBytes: number;
}

export const DEFAULT_LIMITS: ResponseLimits = {
  objectBytes: 4 << 20,
  listBytes: 8 << 20,
  watchEventBytes: 4 << 20,
  logBytes: 1 << 20,
  execBytes: 1 << 20,
  portForwardBytes: 1 << 20,
  rawBytes: 8 << 20,
  errorBodyBytes: 64 << 10,
};

/** A Status message is kept up to this many bytes (control characters stripped). */
export const STATUS_MESSAGE_BYTES = 512;
