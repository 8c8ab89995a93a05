import type { CleanupOutcome } from '../engine/types.js';
import { type ClusterAccess, ClusterError } from '../kube/cluster-access.js';

/**
 * Deletes the run's namespace and waits until it is gone. Runs with its own signal and
 * deadline, so it also runs after a cancel or the run's deadline.
 */
export async function deleteNamespaceAndWait(
  cluster: ClusterAccess,
  namespace: string,
  timeoutMs: number,
): Promise<CleanupOutcome> {
  const signal = AbortSignal.timeout(timeoutMs + 1_000);
  const opts = { signal, timeoutMs };
  try {
    await cluster.delete('namespaces', namespace, undefined, opts);
  } catch (err) {
    if (!(err instanceof ClusterError && err.kind === 'not-found')) {
      return { namespace, deleted: false, detail: `delete refused: ${(err as Error).message}` };
    }
  }
  try {
    await cluster.waitFor(
      'namespaces',
      { fieldSelector: `metadata.name=${namespace}` },
      (objs) => (objs.some((o) => o.metadata?.name === namespace) ? undefined : true),
      opts,
    );
    return { namespace, deleted: true };
  } catch (err) {
    return {
      namespace,
      deleted: false,
      detail: `namespace still present after ${timeoutMs} ms (${(err as Error).message}); it carries an expiry annotation and the next audit removes it`,
    };
  }
}
