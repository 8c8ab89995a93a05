import { stripControlChars, truncateBytes } from '../../untrusted-text.js';
import { ClusterError, type ClusterErrorKind } from '../cluster-access.js';
import { admissionDenial } from './admission.js';
import { STATUS_MESSAGE_BYTES } from './limits.js';

/** The ServiceAccount admission plugin refusing a pod whose ServiceAccount it did not find. */
export const SERVICE_ACCOUNT_LOOKUP_FAILED = /error looking up service account/;

/**
 * 403s that are the cluster's own failure, not RBAC refusing kubeproof: the kubelet refusing
 * the API server (`subresource=proxy`, `subresource(s)=[proxy]`, `unable to upgrade connection`)
 * or the controller-manager being down (`error looking up service account`).
 */
const CLUSTER_SIDE_403 = [
  /subresource(\(s\))?=\[?proxy/,
  /unable to upgrade connection/,
  SERVICE_ACCOUNT_LOOKUP_FAILED,
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

/** The body as a Kubernetes Status (`kind: Status`), or undefined for anything else. */
function parseStatus(body: string): StatusBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && (parsed as { kind?: unknown }).kind === 'Status') {
      return parsed as StatusBody;
    }
  } catch {
    // not JSON: not a Status
  }
  return undefined;
}

/** A message from the remote side, safe to store and show: control characters out, at most 512 bytes. */
export function boundedMessage(message: string): string {
  return truncateBytes(stripControlChars(message).trim(), STATUS_MESSAGE_BYTES);
}

/** What is known about a body besides its text, to describe one that is not shown. */
export interface BodyInfo {
  contentType?: string;
  /** Announced or counted size in bytes. */
  length?: number;
}

/**
 * How a non-Status answer is reported: status code, content type and length only. Its body is
 * never echoed: a kubeconfig may point at any HTTPS service, whose error page can hold secrets.
 */
export function describeForeignAnswer(httpStatus: number, info: BodyInfo = {}): string {
  const type = info.contentType ? stripControlChars(info.contentType).slice(0, 100) : 'no content type';
  const length = info.length === undefined ? '' : `, ${info.length} bytes`;
  return `HTTP ${httpStatus} with a body that is not a Kubernetes Status (${type}${length}); the body is not shown`;
}

function kindForStatus(httpStatus: number, message: string): ClusterErrorKind {
  if (httpStatus === 401) return 'unauthorized';
  if (httpStatus === 403) return isClusterSideForbidden(message) ? 'server' : 'forbidden';
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 409) return 'conflict';
  if (httpStatus === 400 || httpStatus === 422) return 'invalid';
  return 'server';
}

/**
 * The ClusterError for a refusal: an admission denial (recognised by its message, whatever the
 * code: a webhook picks its own) is kind `policy`; otherwise the code decides.
 */
function refusal(httpStatus: number, message: string, reason: string | undefined): ClusterError {
  const denial = httpStatus === 401 ? undefined : admissionDenial(message);
  if (denial) return new ClusterError('policy', message, httpStatus, reason, denial);
  return new ClusterError(kindForStatus(httpStatus, message), message, httpStatus, reason);
}

/**
 * An HTTP answer that was not 2xx, turned into a ClusterError: a Status keeps its message (cut to
 * 512 bytes, control characters stripped); anything else is described, never quoted.
 */
export function errorFromResponse(httpStatus: number, body: string, info: BodyInfo = {}): ClusterError {
  const status = parseStatus(body);
  const message =
    status?.message !== undefined
      ? boundedMessage(String(status.message))
      : body.trim() === ''
        ? `HTTP ${httpStatus}`
        : describeForeignAnswer(httpStatus, { length: Buffer.byteLength(body), ...info });
  const reason = typeof status?.reason === 'string' ? boundedMessage(status.reason).slice(0, 64) : undefined;
  return refusal(httpStatus, message, reason);
}

/** A Status received on a stream (exec channel 3) that is not a process exit. */
export function errorFromStatusObject(status: StatusBody): ClusterError {
  const message = boundedMessage(String(status.message ?? 'unknown failure'));
  return refusal(status.code ?? 500, message, status.reason);
}

/** Socket-level failures (refused, reset, TLS) mean the API server could not be reached. */
export function errorFromTransport(err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = err as { code?: string; message?: string } | undefined;
  const detail = [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
  return new ClusterError('unreachable', `cannot reach the API server: ${detail}`);
}
