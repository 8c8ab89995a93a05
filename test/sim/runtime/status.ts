/**
 * The `Status` objects the API server and kubelet send, field for field in the order Go's
 * json.Marshal writes metav1.Status (kind, apiVersion, metadata, status, message, reason,
 * details, code), so byte-level assertions hold.
 */
import { randomBytes } from 'node:crypto';

export interface StatusCause {
  reason?: string;
  message?: string;
}

export interface StatusDetails {
  name?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface ApiStatus {
  kind?: 'Status';
  apiVersion?: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A Status as an HTTP error body (the API server always sets kind and apiVersion). */
export function failureStatus(code: number, reason: string, message: string, details?: StatusDetails): ApiStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** apierrors.NewInternalError(err). */
export function internalError(cause: string, withKind = true): ApiStatus {
  const status = failureStatus(500, 'InternalError', `Internal error occurred: ${cause}`, {
    causes: [{ message: cause }],
  });
  if (!withKind) {
    delete status.kind;
    delete status.apiVersion;
  }
  return status;
}

export function badRequest(message: string): ApiStatus {
  return failureStatus(400, 'BadRequest', message);
}

// ---- statuses written on the exec stream's error channel (no kind/apiVersion there) ----

export const execSuccess = (): ApiStatus => ({ metadata: {}, status: 'Success' });

/** What containerd + the kubelet report when the command exited non-zero. */
export function execNonZeroExit(command: string[], exitCode: number): ApiStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${goStringSlice(command)}, exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** containerd's error when the binary does not exist in the container. */
export function execBinaryNotFound(binary: string): ApiStatus {
  const execId = randomBytes(32).toString('hex');
  return internalError(
    `error executing command in container: failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${binary}": executable file not found in $PATH: unknown`,
    false,
  );
}

/** Go's `%v` of a []string: `[sh -c exit 3]`. */
export function goStringSlice(items: string[]): string {
  return `[${items.join(' ')}]`;
}
