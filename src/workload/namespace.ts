import { type ClusterAccess, ClusterError } from '../kube/cluster-access.js';
import { type CreationRecord, createRecorded, emptyRecord } from './create-object.js';
import { namespaceManifest, pullSecretManifest } from './manifests.js';
import type { WorkloadHandle, WorkloadOptions } from './types.js';

export interface CreateRunNamespaceInput {
  cluster: ClusterAccess;
  /** The run's handle: its namespace name is the one created. */
  workload: WorkloadHandle;
  runId: string;
  options: WorkloadOptions;
  expiresAt: Date;
  signal: AbortSignal;
}

/** What preparing the namespace came to, when the API server answered. */
export interface RunNamespace extends CreationRecord {
  namespace: string;
  /** The namespace exists (created by this run): checks may use it. */
  ready: boolean;
  /**
   * The uid the API server gave the namespace this run created: cleanup deletes it with that
   * precondition, so it needs no read to know the namespace is still this run's.
   */
  uid?: string;
}

/**
 * Creates the run's namespace (labelled with the run id, annotated with its expiry) and the
 * image pull secret when one is configured. Refusals that are cluster observations are
 * returned (`refusals`: the namespace itself when `ready` is false, otherwise the pull secret);
 * "could not tell" errors (RBAC, unreachable, our deadline) and a name another run already holds
 * are thrown.
 * @example const ns = await createRunNamespace({ cluster, workload, runId, options, expiresAt, signal });
 */
export async function createRunNamespace(input: CreateRunNamespaceInput): Promise<RunNamespace> {
  const { cluster, workload: w, options, signal } = input;
  const result: RunNamespace = { namespace: w.namespace, ready: false, ...emptyRecord() };
  const refused = await createRecorded(
    cluster,
    result,
    'namespaces',
    namespaceManifest(w, input.expiresAt, typeof options.namespace === 'string' ? undefined : options.namespace),
    undefined,
    signal,
    (created) => {
      if (created.metadata?.uid) result.uid = created.metadata.uid;
    },
  );
  if (refused?.kind === 'conflict') throw namespaceTaken(w.namespace);
  // Nothing can be created in a namespace that does not exist: the refusal is the observation.
  if (refused) return result;
  result.ready = true;
  await createPullSecret(input, result);
  return result;
}

/**
 * Least-privilege mode: the run works in the operator's pre-existing namespace
 * (`options.namespace`) and never creates, patches or deletes it. Reads it (a Role in it may
 * grant `get namespaces`: the API server authorizes GET /api/v1/namespaces/NAME in namespace NAME)
 * and creates the pull secret, when one is configured. A namespace that is missing or being
 * deleted is a setting to fix, not a cluster failure: thrown (→ `error`).
 */
export async function prepareSharedNamespace(input: CreateRunNamespaceInput): Promise<RunNamespace> {
  const { cluster, workload: w, signal } = input;
  const result: RunNamespace = { namespace: w.namespace, ready: false, ...emptyRecord() };
  try {
    const ns = await cluster.get('namespaces', w.namespace, undefined, { signal, timeoutMs: 15_000 });
    if (ns.metadata?.deletionTimestamp)
      throw new Error(`namespace ${w.namespace} (options.namespace) is being deleted`);
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'not-found') {
      throw new Error(
        `namespace ${w.namespace} (options.namespace) does not exist: kubeproof runs in it but never creates it; ` +
          'create it and apply GET /v1/rbac?namespace=NAME, or leave options.namespace out',
      );
    }
    throw err;
  }
  result.ready = true;
  await createPullSecret(input, result);
  return result;
}

async function createPullSecret(input: CreateRunNamespaceInput, result: RunNamespace): Promise<void> {
  const { cluster, workload: w, options, signal } = input;
  if (!options.images.pullSecret) return;
  await createRecorded(
    cluster,
    result,
    'secrets',
    pullSecretManifest(w, options.images.pullSecret),
    w.namespace,
    signal,
  );
}

/**
 * The namespace is ours alone: when the name is taken (another audit of this cluster drew the
 * same short id, or a leftover of a crashed run, possibly still Terminating), nothing is created
 * in it. That is kubeproof's problem, not the cluster's, hence a plain error (→ `error`) rather
 * than a refusal (→ `failed`).
 */
function namespaceTaken(namespace: string): Error {
  return new Error(
    `namespace ${namespace} already exists and belongs to another run; kubeproof did not touch it. Re-run the audit.`,
  );
}
