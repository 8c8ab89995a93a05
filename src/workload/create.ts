import type { AuditOptions } from '../checks/options.js';
import type { WorkloadHandle } from '../checks/types.js';
import { type ClusterAccess, ClusterError, isInconclusive } from '../kube/cluster-access.js';
import { byName } from '../kube/selectors.js';
import {
  clientPod,
  clusterIpService,
  namespaceManifest,
  nodePortService,
  pullSecretManifest,
  webDeployment,
} from './manifests.js';

const CREATE_TIMEOUT_MS = 15_000;

export interface CreateWorkloadInput {
  cluster: ClusterAccess;
  workload: WorkloadHandle;
  runId: string;
  options: AuditOptions;
  expiresAt: Date;
  signal: AbortSignal;
  /** How long to wait for the namespace's `default` ServiceAccount before creating the client pod. */
  serviceAccountWaitMs: number;
}

export interface CreateWorkloadResult {
  /** Objects created, for evidence. */
  created: string[];
  /** What the API server refused that is the cluster's own doing (e.g. no ServiceAccount). */
  refusals: string[];
  serviceAccountSeen: boolean;
}

/**
 * Creates the run's namespace and fixture. Refusals that are cluster observations are
 * collected (the rollout check reports them); "could not tell" errors are thrown.
 */
export async function createWorkload(input: CreateWorkloadInput): Promise<CreateWorkloadResult> {
  const { cluster, workload: w, options, signal } = input;
  const ns = w.namespace;
  const result: CreateWorkloadResult = { created: [], refusals: [], serviceAccountSeen: false };
  const create = async (
    resource: Parameters<ClusterAccess['create']>[0],
    obj: Parameters<ClusterAccess['create']>[1],
    namespace?: string,
  ) => {
    try {
      await cluster.create(resource, obj, namespace, { signal, timeoutMs: CREATE_TIMEOUT_MS });
      result.created.push(`${resource}/${obj.metadata?.name}`);
    } catch (err) {
      if (isInconclusive(err) || !(err instanceof ClusterError)) throw err;
      if (resource === 'namespaces' && err.kind === 'conflict') throw namespaceTaken(ns);
      result.refusals.push(`${resource}/${obj.metadata?.name}: ${err.message}`);
    }
  };
  await create('namespaces', namespaceManifest(w, input.runId, input.expiresAt));
  // Nothing else can be created without the namespace: the refusal is the observation.
  if (result.refusals.length > 0) return result;
  if (options.images.pullSecret) await create('secrets', pullSecretManifest(options.images.pullSecret), ns);
  await create('deployments', webDeployment(w, options.images), ns);
  await create('services', clusterIpService(w), ns);
  await create('services', nodePortService(w), ns);
  result.serviceAccountSeen = await waitForDefaultServiceAccount(input);
  await create('pods', clientPod(w, options.images), ns);
  return result;
}

/**
 * The namespace is ours alone: when the name is taken (another audit of this cluster drew the
 * same short id, or a leftover of a crashed run), nothing is created in it. That is kubeproof's
 * problem, not the cluster's, hence a plain error (→ `error`) rather than a refusal (→ `failed`).
 */
function namespaceTaken(namespace: string): Error {
  return new Error(
    `namespace ${namespace} already exists and belongs to another run; kubeproof did not touch it. Re-run the audit.`,
  );
}

/**
 * The service-account controller (controller-manager) creates `default` shortly after the
 * namespace; pods created before it exists are refused, so wait for it, within a bound.
 */
async function waitForDefaultServiceAccount(input: CreateWorkloadInput): Promise<boolean> {
  try {
    return await input.cluster.waitFor(
      'serviceaccounts',
      byName('default', input.workload.namespace),
      (objs) => (objs.some((o) => o.metadata?.name === 'default') ? true : undefined),
      { signal: input.signal, timeoutMs: input.serviceAccountWaitMs },
    );
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'timeout') return false;
    throw err;
  }
}
