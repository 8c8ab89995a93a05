import type { CleanupOutcome } from '../kernel/results.js';
import { type CallOptions, type ClusterAccess, ClusterError } from '../kube/cluster-access.js';
import { byName } from '../kube/selectors.js';
import { ownerOf } from './ownership.js';

/**
 * Deletes the run's namespace and waits until it is gone. Runs with its own signal and
 * deadline, so it also runs after a cancel or the run's deadline. A namespace of that name
 * that carries another run's id is left alone: deleting it would break a concurrent audit.
 */
export async function deleteRunNamespace(
  cluster: ClusterAccess,
  namespace: string,
  runId: string,
  timeoutMs: number,
): Promise<CleanupOutcome> {
  const opts: CallOptions = { signal: AbortSignal.timeout(timeoutMs + 1_000), timeoutMs };
  try {
    const owner = await ownerOf(cluster, namespace, runId, opts);
    if (owner === 'absent') return { namespace, deleted: true, detail: 'the namespace was never created' };
    if (owner === 'other-run') {
      return { namespace, deleted: true, detail: 'the namespace belongs to another run and was left alone' };
    }
    await cluster.delete('namespaces', namespace, undefined, opts);
  } catch (err) {
    if (!(err instanceof ClusterError && err.kind === 'not-found')) {
      return { namespace, deleted: false, detail: `delete refused: ${(err as Error).message}` };
    }
  }
  try {
    await cluster.waitFor(
      'namespaces',
      byName(namespace),
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
