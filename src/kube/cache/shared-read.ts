import { DEFAULT_CALL_TIMEOUT_MS, withCallScope } from '../cluster/deadline.js';
import { type CallOptions, ClusterError } from '../cluster-access.js';

/** Reads one answer under the options the shared read gives it (the run's signal, not a caller's). */
export type SharedRead<T> = (opts: CallOptions) => Promise<T>;

/**
 * One answer per key for the run, shared by concurrent and later callers. The read itself runs
 * under the run's signal (aborted when the run closes the cache) and a deadline at least the
 * asker's, never under the first asker's signal: a check that is cancelled, or whose own
 * deadline passes, stops waiting — with the `aborted` or `timeout` ClusterError it would have
 * had alone — while the read goes on for the others. A failed read (403, timeout, unreachable)
 * reaches every caller waiting for it and is then forgotten: the next caller asks again and
 * hears its own answer, as it would have without the cache.
 * @example
 * const once = sharedReads(closed.signal);
 * const v = await once('version', (o) => inner.version(o), { signal, timeoutMs: 10_000 });
 */
export function sharedReads(closed: AbortSignal) {
  const answers = new Map<string, Promise<unknown>>();
  const start = <T>(key: string, read: SharedRead<T>, opts?: CallOptions): Promise<T> => {
    let answer = answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      const timeoutMs = Math.max(opts?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CALL_TIMEOUT_MS);
      answer = read({ signal: closed, timeoutMs });
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
  // Each caller waits under its own signal and deadline, with the errors the seam gives for them
  // (a caller already cancelled starts nothing).
  return <T>(key: string, read: SharedRead<T>, opts?: CallOptions): Promise<T> =>
    withCallScope(
      opts,
      DEFAULT_CALL_TIMEOUT_MS,
      (err) => new ClusterError('server', err instanceof Error ? err.message : String(err)),
      () => start(key, read, opts),
    );
}
