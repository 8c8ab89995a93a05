import type { ClusterAccess } from '../kube/cluster-access.js';
import { EXPIRES_AT_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL } from './names.js';

/**
 * Deletes kubeproof namespaces whose expiry passed (left by crashed runs). Best effort: it
 * does not wait for them to disappear and reports what it did.
 */
export async function sweepExpiredNamespaces(
  cluster: ClusterAccess,
  now: Date,
  signal: AbortSignal,
): Promise<{ deleted: string[]; failed: string[] }> {
  const { items } = await cluster.list(
    'namespaces',
    { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` },
    { signal, timeoutMs: 10_000 },
  );
  const expired = items.filter((ns) => {
    const at = Date.parse(ns.metadata?.annotations?.[EXPIRES_AT_ANNOTATION] ?? '');
    return Number.isFinite(at) && at < now.getTime() && !ns.metadata?.deletionTimestamp;
  });
  const deleted: string[] = [];
  const failed: string[] = [];
  for (const ns of expired) {
    const name = ns.metadata?.name ?? '';
    try {
      await cluster.delete('namespaces', name, undefined, { signal, timeoutMs: 10_000 });
      deleted.push(name);
    } catch {
      failed.push(name);
    }
  }
  return { deleted, failed };
}
