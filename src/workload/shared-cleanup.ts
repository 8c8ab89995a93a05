import type { CleanupOutcome } from '../kernel/results.js';
import { type CallOptions, type ClusterAccess, ClusterError, type ResourceKind } from '../kube/cluster-access.js';
import { labelSelectorOf } from './names.js';
import type { SHARED_CLEANUP } from './rbac.js';
import type { WorkloadHandle } from './types.js';

export interface SharedCleanupInput {
  cluster: ClusterAccess;
  workload: WorkloadHandle;
  /** What the run's plan could create there (sharedCleanupOf its needs). */
  kinds: typeof SHARED_CLEANUP;
  /** Secrets the run created, by name (never listed: that would read the operator's secrets). */
  secretNames: readonly string[];
  timeoutMs: number;
}

/**
 * Least-privilege mode's cleanup: deletes only this run's objects from the operator's namespace
 * (selected by the run-id label; Secrets by name) and waits until they, and what controllers
 * made from them, are gone. Owned objects (the Deployment's ReplicaSets and pods) are left to the
 * garbage collector, which removes them with their owner (Background propagation). The namespace
 * itself is never touched. Runs with its own deadline, so it also runs after a cancel.
 */
export async function deleteRunObjects(input: SharedCleanupInput): Promise<CleanupOutcome> {
  const { cluster, workload: w, kinds, secretNames, timeoutMs } = input;
  const namespace = w.namespace;
  const opts: CallOptions = { signal: AbortSignal.timeout(timeoutMs + 1_000), timeoutMs };
  const selector = { namespace, labelSelector: labelSelectorOf(w.runLabels) };
  const done = `this run's objects (${selector.labelSelector}) deleted from namespace ${namespace}; the namespace itself was left as it was`;
  try {
    for (const kind of kinds) {
      if (!kind.byLabel) continue;
      const { items } = await cluster.list(kind.created, selector, opts);
      for (const obj of items) {
        if (obj.metadata?.ownerReferences?.length) continue;
        await ignoreGone(cluster.delete(kind.created, obj.metadata?.name ?? '', namespace, opts));
      }
    }
    if (kinds.some((k) => k.created === 'secrets')) {
      for (const name of secretNames) await ignoreGone(cluster.delete('secrets', name, namespace, opts));
    }
  } catch (err) {
    return { namespace, deleted: false, detail: `delete refused: ${(err as Error).message}` };
  }
  const awaited: ResourceKind[] = kinds
    .filter((k) => k.byLabel)
    .flatMap((k) => [k.created, ...k.dependents.map((d) => d.resource)]);
  try {
    await Promise.all(
      awaited.map((kind) => cluster.waitFor(kind, selector, (objs) => (objs.length === 0 ? true : undefined), opts)),
    );
    return { namespace, deleted: true, detail: done };
  } catch (err) {
    return {
      namespace,
      deleted: false,
      detail: `objects labelled ${selector.labelSelector} still present in ${namespace} after ${timeoutMs} ms (${(err as Error).message}); delete them with kubectl delete deploy,svc,pod -n ${namespace} -l ${selector.labelSelector}`,
    };
  }
}

async function ignoreGone(deleted: Promise<unknown>): Promise<void> {
  try {
    await deleted;
  } catch (err) {
    if (!(err instanceof ClusterError && err.kind === 'not-found')) throw err;
  }
}
