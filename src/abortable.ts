/**
 * The promise's outcome, or a rejection with the signal's reason as soon as it aborts: for work
 * that does not listen to the signal itself (a gRPC call, a step other callers share). The work
 * goes on; its late result or error is dropped.
 * @example const value = await untilAborted(client.get(key).buffer(), signal);
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {}); // nobody waits for it any more: its rejection must not go unhandled
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
