import { untilAborted } from '../../abortable.js';
import type { CallOptions } from '../cluster-access.js';
import { ClusterError } from '../cluster-access.js';

/** Per-call default when the caller gives no timeout: long enough for a slow API server. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface CallScope {
  /** Aborts on the caller's signal or on this call's own timeout. */
  signal: AbortSignal;
  /** Turns whatever the call threw into a ClusterError (timeout/aborted win over transport noise). */
  fail(err: unknown, orElse: (err: unknown) => ClusterError): ClusterError;
  done(): void;
}

/** One place that combines the caller's signal and a per-call timeout, for every kind of call. */
export function callScope(opts: CallOptions | undefined, defaultTimeoutMs: number): CallScope {
  const controller = new AbortController();
  const timeoutMs = opts?.timeoutMs ?? defaultTimeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new ClusterError('timeout', `no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => controller.abort(new ClusterError('aborted', 'cancelled'));
  if (opts?.signal?.aborted) onAbort();
  else opts?.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    fail(err, orElse) {
      if (timedOut) return new ClusterError('timeout', `no answer within ${timeoutMs} ms`);
      if (controller.signal.aborted) return new ClusterError('aborted', 'cancelled');
      return err instanceof ClusterError ? err : orElse(err);
    },
    done() {
      clearTimeout(timer);
      opts?.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Runs fn inside a call scope: every ClusterAccess method goes through this. */
export async function withCallScope<T>(
  opts: CallOptions | undefined,
  defaultTimeoutMs: number,
  orElse: (err: unknown) => ClusterError,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const scope = callScope(opts, defaultTimeoutMs);
  try {
    if (scope.signal.aborted) throw scope.signal.reason;
    // Rejects as soon as the scope aborts, even if fn ignores its signal.
    return await untilAborted(fn(scope.signal), scope.signal);
  } catch (err) {
    throw scope.fail(err, orElse);
  } finally {
    scope.done();
  }
}
