import type { CleanupOutcome } from '../kernel/results.js';
import {
  type CallOptions,
  type ClusterAccess,
  ClusterError,
  type KubeObject,
  type WaitForOptions,
} from '../kube/cluster-access.js';
import { byName } from '../kube/selectors.js';
import { ownerOf } from './ownership.js';

const OTHER_RUN = 'the namespace belongs to another run and was left alone';

/**
 * Deletes the run's namespace and waits until it is gone. Runs with its own signal and
 * deadline, so it also runs after a cancel or the run's deadline. A namespace of that name
 * that carries another run's id is left alone: deleting it would break a concurrent audit.
 * With `uid` (what the create answered) the delete carries it as a precondition and the API
 * server itself refuses another namespace of that name (409); without it (the create's answer
 * was lost, or it was refused), the namespace's run-id label is read first.
 */
export async function deleteRunNamespace(
  cluster: ClusterAccess,
  namespace: string,
  runId: string,
  timeoutMs: number,
  uid?: string,
): Promise<CleanupOutcome> {
  const opts: CallOptions = { signal: AbortSignal.timeout(timeoutMs + 1_000), timeoutMs };
  let answer: KubeObject | undefined;
  try {
    if (uid) {
      answer = await cluster.delete('namespaces', namespace, undefined, { ...opts, uid });
    } else {
      const owner = await ownerOf(cluster, namespace, runId, opts);
      if (owner === 'absent') return { namespace, deleted: true, detail: 'the namespace was never created' };
      if (owner === 'other-run') return { namespace, deleted: true, detail: OTHER_RUN };
      answer = await cluster.delete('namespaces', namespace, undefined, opts);
    }
  } catch (err) {
    // Ours went away and another run created one of the same name since.
    if (uid && err instanceof ClusterError && err.kind === 'conflict') {
      return { namespace, deleted: true, detail: OTHER_RUN };
    }
    if (!(err instanceof ClusterError && err.kind === 'not-found')) {
      return { namespace, deleted: false, detail: `delete refused: ${(err as Error).message}` };
    }
  }
  try {
    await cluster.waitFor(
      'namespaces',
      byName(namespace),
      (objs) => (objs.some((o) => o.metadata?.name === namespace) ? undefined : true),
      { ...opts, ...startFrom(answer) },
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

/**
 * The wait starts from what the delete answered, without a list: a namespace marked for deletion
 * (its finalizers still run) is there until the watch tells it is gone; one answered without a
 * deletionTimestamp was removed at once (no finalizers). Without a resourceVersion: a list.
 */
function startFrom(answer: KubeObject | undefined): Pick<WaitForOptions, 'from'> {
  const resourceVersion = answer?.metadata?.resourceVersion;
  if (!answer || !resourceVersion) return {};
  return { from: { resourceVersion, objects: answer.metadata?.deletionTimestamp ? [answer] : [] } };
}
