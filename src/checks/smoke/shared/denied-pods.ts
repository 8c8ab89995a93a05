/**
 * Pods a controller could not create because admission denied them. The ReplicaSet controller
 * records `Warning FailedCreate "Error creating: <the API server's error>"` on the ReplicaSet
 * (kubernetes/kubernetes pkg/controller/controller_utils.go, CreatePodsWithGenerateName) and
 * sets the ReplicaSet's ReplicaFailure condition, which the Deployment controller copies onto
 * the Deployment (pkg/controller/deployment/sync.go). Both carry the denial's own message.
 */

import { type AdmissionDenial, admissionDenial } from '../../../kube/cluster/admission.js';
import type { Condition, Deployment } from '../../../kube/objects.js';
import type { EventView } from './diagnose.js';

/** The denial on the Deployment's ReplicaFailure condition, if one is there. */
export function deniedByCondition(deployment: Deployment | undefined): AdmissionDenial | undefined {
  const conditions: Condition[] = deployment?.status?.conditions ?? [];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  return typeof failure?.message === 'string' ? admissionDenial(failure.message) : undefined;
}

/** The denial behind the web pods that were never created, from the Deployment or its ReplicaSet's events. */
export function deniedPods(
  deployment: Deployment | undefined,
  events: readonly EventView[],
): AdmissionDenial | undefined {
  const fromCondition = deniedByCondition(deployment);
  if (fromCondition) return fromCondition;
  for (const e of events) {
    if (e.reason !== 'FailedCreate' || !e.message) continue;
    const denial = admissionDenial(e.message);
    if (denial) return denial;
  }
  return undefined;
}
