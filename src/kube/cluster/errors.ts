import { ClusterError, type ClusterErrorKind } from '../cluster-access.js';

/**
 * 403s that are the cluster's own failure, not RBAC refusing kubeproof: the kubelet refusing
 * the API server (`subresource=proxy`, `subresource(s)=[proxy]`, `unable to upgrade connection`)
 * or the controller-manager being down (`error looking up service account`).
 */
const CLUSTER_SIDE_403 = [
  /subresource(\(s\))?=\[?proxy/,
  /unable to upgrade connection/,
  /error looking up service account/,
];

/** Whether a 403 message is the cluster's own failure rather than RBAC refusing kubeproof. */
export function isClusterSideForbidden(message: string): boolean {
  return CLUSTER_SIDE_403.some((re) => re.test(message));
}

interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
}

function parseStatus(body: string): StatusBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') return parsed as StatusBody;
  } catch {
    // not a Status: the body is used as text
  }
  return undefined;
}

function kindForStatus(httpStatus: number, message: string): ClusterErrorKind {
  if (httpStatus === 401) return 'unauthorized';
  if (httpStatus === 403) return isClusterSideForbidden(message) ? 'server' : 'forbidden';
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 409) return 'conflict';
  if (httpStatus === 400 || httpStatus === 422) return 'invalid';
  return 'server';
}

/** An HTTP answer that was not 2xx, turned into a ClusterError carrying the Status message. */
export function errorFromResponse(httpStatus: number, body: string): ClusterError {
  const status = parseStatus(body);
  const message = status?.message ?? (body.trim() || `HTTP ${httpStatus}`);
  return new ClusterError(kindForStatus(httpStatus, message), message, httpStatus, status?.reason);
}

/** A Status received on a stream (exec channel 3) that is not a process exit. */
export function errorFromStatusObject(status: StatusBody): ClusterError {
  const message = status.message ?? 'unknown failure';
  const code = status.code ?? 500;
  return new ClusterError(kindForStatus(code, message), message, code, status.reason);
}

/** Socket-level failures (refused, reset, TLS) mean the API server could not be reached. */
export function errorFromTransport(err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = err as { code?: string; message?: string } | undefined;
  const detail = [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
  return new ClusterError('unreachable', `cannot reach the API server: ${detail}`);
}
