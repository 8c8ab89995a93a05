import {
  type AdmissionDenial,
  type ClusterAccess,
  ClusterError,
  isInconclusive,
  type KubeObject,
} from '../kube/cluster-access.js';

const CREATE_TIMEOUT_MS = 15_000;

/** What creating the run's objects came to, for evidence. */
export interface CreationRecord {
  /** `<resource>/<name>` of each object created. */
  created: string[];
  /** What the API server refused that is the cluster's own doing (a failing controller, no ServiceAccount). */
  refusals: string[];
  /**
   * What an admission policy denied (Pod Security, a webhook, a ValidatingAdmissionPolicy, a
   * quota, a LimitRange): neither the cluster failing nor kubeproof lacking a permission; the
   * caller reports it as `error` with cause `policy`.
   */
  denied: Array<{ object: string; denial: AdmissionDenial }>;
}

/** A record with nothing in it yet. */
export const emptyRecord = (): CreationRecord => ({ created: [], refusals: [], denied: [] });

/**
 * Creates one object and records it as created, refused (an observation the caller reports) or
 * denied by admission policy. "Could not tell" errors (RBAC, unreachable, our deadline) are thrown.
 * @returns the refusal, so a caller can single out one (a name collision), or undefined once created
 * @example const refused = await createRecorded(cluster, record, 'services', svc, ns, signal);
 */
export function createRecorded(
  cluster: ClusterAccess,
  record: CreationRecord,
  resource: Parameters<ClusterAccess['create']>[0],
  obj: KubeObject,
  namespace: string | undefined,
  signal: AbortSignal,
  /** Told what the API server answered once it created the object (its uid, its resourceVersion). */
  made?: (created: KubeObject) => void,
): Promise<ClusterError | undefined> {
  return recordCreation(
    record,
    `${resource}/${obj.metadata?.name}`,
    (opts) => cluster.create(resource, obj, namespace, opts),
    signal,
    made,
  );
}

/**
 * createRecorded for a create that takes more than one call (a pod retried once its
 * ServiceAccount exists, create-pod.ts): `attempt` makes it, `object` names it.
 */
export async function recordCreation(
  record: CreationRecord,
  object: string,
  attempt: (opts: { signal: AbortSignal; timeoutMs: number }) => Promise<unknown>,
  signal: AbortSignal,
  made?: (created: KubeObject) => void,
): Promise<ClusterError | undefined> {
  try {
    const created = await attempt({ signal, timeoutMs: CREATE_TIMEOUT_MS });
    record.created.push(object);
    made?.(created as KubeObject);
    return undefined;
  } catch (err) {
    if (err instanceof ClusterError && err.admission) {
      record.denied.push({ object, denial: err.admission });
      return err;
    }
    if (isInconclusive(err) || !(err instanceof ClusterError)) throw err;
    record.refusals.push(`${object}: ${err.message}`);
    return err;
  }
}
