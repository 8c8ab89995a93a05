/**
 * The check registry: every check kubeproof has, one line each, in catalog order. The smoke
 * suite, `GET /v1/checks`, `GET /v1/rbac`, selection by group and the tests' expectations are
 * all derived from this list (see CONTRIBUTING.md, "Add a check").
 */
import { secretsEncryption } from './encryption/check.js';
import { describedOnly, type PreflightInput, preflightApi } from './preflight/api.js';
import { controllerSelfHeal } from './smoke/controller-selfheal.js';
import { deploymentScale } from './smoke/deployment-scale.js';
import { dnsService } from './smoke/dns-service.js';
import { endpointsSlices } from './smoke/endpoints-slices.js';
import { kubeletRestart } from './smoke/kubelet-restart.js';
import { nodesReady } from './smoke/nodes-ready.js';
import { podsCrossNode } from './smoke/pods-cross-node.js';
import { podsExec } from './smoke/pods-exec.js';
import { podsLogs } from './smoke/pods-logs.js';
import { podsNetwork } from './smoke/pods-network.js';
import { podsPortForward } from './smoke/pods-portforward.js';
import { schedulerSpread } from './smoke/scheduler-spread.js';
import { serviceLoadBalancing } from './smoke/service-loadbalancing.js';
import { serviceNodePort } from './smoke/service-nodeport.js';
import type { SmokeTimings } from './smoke/shared/timings.js';
import { workloadRollout } from './smoke/workload-rollout.js';
import type { CheckDefinition } from './types.js';

/** What a run wires into the checks that need it: wait budgets, and the permission review's view of the plan. */
export interface CheckWiring {
  timings: SmokeTimings;
  review: PreflightInput;
}

/** A check as it is, or built for one run from its wiring. */
export type CheckEntry = CheckDefinition | ((wiring: CheckWiring) => CheckDefinition);

export const CHECKS: readonly CheckEntry[] = [
  (w) => preflightApi(w.review),
  nodesReady,
  (w) => workloadRollout(w.timings),
  schedulerSpread,
  podsNetwork,
  (w) => podsCrossNode(w.timings),
  (w) => endpointsSlices(w.timings),
  (w) => dnsService(w.timings),
  (w) => serviceLoadBalancing(w.timings),
  (w) => serviceNodePort(w.timings),
  podsLogs,
  podsExec,
  podsPortForward,
  (w) => controllerSelfHeal(w.timings),
  (w) => deploymentScale(w.timings),
  (w) => kubeletRestart(w.timings),
  secretsEncryption,
];

/**
 * Every check of one run, wired to that run's permission review and timings. Without `review`
 * the set is only described (catalog, time budget): nobody hears its review.
 */
export function buildCheckSet(wiring: Omit<CheckWiring, 'review'> & Partial<CheckWiring>): CheckDefinition[] {
  const set: CheckDefinition[] = [];
  const wired: CheckWiring = { review: describedOnly(() => set), ...wiring };
  for (const entry of CHECKS) set.push(typeof entry === 'function' ? entry(wired) : entry);
  return set;
}
