import type { ClusterAccess } from '../kube/cluster-access.js';
import { type CreationRecord, createRecorded, emptyRecord, recordCreation } from './create-object.js';
import { createPod } from './create-pod.js';
import { clientPod, webDeployment, webService } from './manifests.js';
import { allowOwnTraffic } from './network-policy.js';
import type { NetworkPolicyOutcome, WorkloadHandle, WorkloadOptions } from './types.js';

export interface CreateWorkloadInput {
  cluster: ClusterAccess;
  workload: WorkloadHandle;
  options: WorkloadOptions;
  signal: AbortSignal;
  /** How long to wait for the namespace's `default` ServiceAccount once admission refused a pod for its lack. */
  serviceAccountWaitMs: number;
}

export interface CreateWorkloadResult extends CreationRecord {
  /** The allow policy for kubeproof's own traffic (network-policy.ts), made before the client pod. */
  networkPolicy: NetworkPolicyOutcome;
}

/**
 * Creates the fixture (web Deployment, its Service, the allow NetworkPolicy, client pod) in the run's namespace, which the
 * engine created beforehand (see namespace.ts). Refusals that are cluster observations are
 * collected (the rollout check reports them); "could not tell" errors are thrown.
 */
export async function createWorkload(input: CreateWorkloadInput): Promise<CreateWorkloadResult> {
  const { cluster, workload: w, options, signal } = input;
  const result: CreateWorkloadResult = {
    ...emptyRecord(),
    networkPolicy: { created: false, reason: 'refused', message: 'not attempted' },
  };
  const create = (resource: Parameters<ClusterAccess['create']>[0], obj: Parameters<ClusterAccess['create']>[1]) =>
    createRecorded(cluster, result, resource, obj, w.namespace, signal);
  await create('deployments', webDeployment(w, options));
  await createWebService(input, result);
  // Before the client pod: every call it makes must find the policy in place.
  result.networkPolicy = await allowOwnTraffic(cluster, w, signal);
  w.networkPolicy = result.networkPolicy;
  // No ServiceAccount read first: admission waits for `default` itself (create-pod.ts).
  const client = clientPod(w, options);
  await recordCreation(
    result,
    `pods/${w.clientPodName}`,
    (opts) => createPod(cluster, client, w.namespace, opts, input.serviceAccountWaitMs),
    signal,
  );
  return result;
}

/**
 * One NodePort Service for every Service check. Where the API server will not make it a NodePort
 * (a ResourceQuota on `services.nodeports`, an admission policy, no free port), a ClusterIP
 * Service of the same name takes its place, so the ClusterIP, DNS and EndpointSlice checks
 * still run, and the refusal is kept for service.nodeport to report. A refusal of the fallback
 * too is the workload's, as before.
 */
async function createWebService(input: CreateWorkloadInput, result: CreateWorkloadResult): Promise<void> {
  const { cluster, workload: w, signal } = input;
  const attempt = emptyRecord();
  const refused = await createRecorded(cluster, attempt, 'services', webService(w, 'NodePort'), w.namespace, signal);
  if (!refused) {
    result.created.push(...attempt.created);
    return;
  }
  w.nodePortRefused = { message: refused.message, ...(refused.admission ? { denial: refused.admission } : {}) };
  await createRecorded(cluster, result, 'services', webService(w, 'ClusterIP'), w.namespace, signal);
}
