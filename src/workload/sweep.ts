import type { ClusterAccess, KubeObject } from '../kube/cluster-access.js';
import {
  EXPIRES_AT_ANNOTATION,
  HEARTBEAT_ANNOTATION,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAMESPACE_PREFIX,
  RUN_ID_LABEL,
} from './names.js';

/**
 * Whether a namespace is a leftover of a dead run: it carries kubeproof's label, the
 * `kubeproof-` name prefix and a run id (all three, so a look-alike such as `prod-payments`
 * labelled by hand is never touched), is not already terminating, and its heartbeat lapsed
 * (the run renews it while alive) or, failing a heartbeat, its expiry passed.
 */
export function isAbandoned(ns: KubeObject, now: Date, heartbeatLapseMs: number): boolean {
  const meta = ns.metadata;
  if (!meta?.name?.startsWith(NAMESPACE_PREFIX) || meta.deletionTimestamp) return false;
  if (meta.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY || !meta.labels?.[RUN_ID_LABEL]) return false;
  const heartbeat = Date.parse(meta.annotations?.[HEARTBEAT_ANNOTATION] ?? '');
  if (Number.isFinite(heartbeat) && now.getTime() - heartbeat > heartbeatLapseMs) return true;
  const expires = Date.parse(meta.annotations?.[EXPIRES_AT_ANNOTATION] ?? '');
  return Number.isFinite(expires) && expires < now.getTime();
}

/** How long a namespace's heartbeat may be silent before the sweep takes it for abandoned. */
export const DEFAULT_HEARTBEAT_LAPSE_MS = 90_000;

/**
 * Deletes kubeproof namespaces left by dead runs (see isAbandoned). Best effort: it does not
 * wait for them to disappear and reports what it did.
 */
export async function sweepExpiredNamespaces(
  cluster: ClusterAccess,
  now: Date,
  signal: AbortSignal,
  heartbeatLapseMs: number = DEFAULT_HEARTBEAT_LAPSE_MS,
): Promise<{ deleted: string[]; failed: string[] }> {
  const { items } = await cluster.list(
    'namespaces',
    { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},${RUN_ID_LABEL}` },
    { signal, timeoutMs: 10_000 },
  );
  const abandoned = items.filter((ns) => isAbandoned(ns, now, heartbeatLapseMs));
  const deleted: string[] = [];
  const failed: string[] = [];
  for (const ns of abandoned) {
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
