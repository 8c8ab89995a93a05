import { type ClusterAccess, ClusterError, isInconclusive, type KubeObject } from '../kube/cluster-access.js';

const CREATE_TIMEOUT_MS = 15_000;

/** What creating the run's objects came to, for evidence. */
export interface CreationRecord {
  /** `<resource>/<name>` of each object created. */
  created: string[];
  /** What the API server refused that is the cluster's own doing (admission, quota, no ServiceAccount). */
  refusals: string[];
}

/**
 * Creates one object and records it as created or refused: a refusal is an observation the
 * caller reports. "Could not tell" errors (RBAC, unreachable, our deadline) are thrown.
 * @returns the refusal, so a caller can single out one (a name collision), or undefined once created
 * @example const refused = await createRecorded(cluster, record, 'services', svc, ns, signal);
 */
export async function createRecorded(
  cluster: ClusterAccess,
  record: CreationRecord,
  resource: Parameters<ClusterAccess['create']>[0],
  obj: KubeObject,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<ClusterError | undefined> {
  try {
    await cluster.create(resource, obj, namespace, { signal, timeoutMs: CREATE_TIMEOUT_MS });
    record.created.push(`${resource}/${obj.metadata?.name}`);
    return undefined;
  } catch (err) {
    if (isInconclusive(err) || !(err instanceof ClusterError)) throw err;
    record.refusals.push(`${resource}/${obj.metadata?.name}: ${err.message}`);
    return err;
  }
}
