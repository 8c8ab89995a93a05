/**
 * How long checks wait for the cluster to converge before judging it broken. Distinct from a
 * check's deadline (kubeproof giving up → `error`): waiting out one of these is a `failed`
 * verdict with evidence. Tests shrink them; defaults suit a real cluster pulling images.
 */
export interface SmokeTimings {
  /** Deployment Available + client pod Running. */
  rolloutMs: number;
  /** The namespace's `default` ServiceAccount appearing. */
  serviceAccountMs: number;
  /** EndpointSlices catching up with the ready pods. */
  endpointsMs: number;
  /** Replacement pod after a delete, back to full availability. */
  selfHealMs: number;
  scaleMs: number;
  /** Restart-probe pod Running, then restarted after `kill 1`. */
  restartMs: number;
  /** busybox `wget -T` seconds for each in-cluster HTTP call. */
  wgetTimeoutSec: number;
  /** ClusterIP calls made by service.loadbalancing. */
  loadBalancingCalls: number;
}

export const DEFAULT_TIMINGS: SmokeTimings = {
  rolloutMs: 180_000,
  serviceAccountMs: 20_000,
  endpointsMs: 30_000,
  selfHealMs: 90_000,
  scaleMs: 90_000,
  restartMs: 90_000,
  wgetTimeoutSec: 5,
  loadBalancingCalls: 12,
};

/** A check's deadline: its wait budget plus room for the calls around it. */
export const deadlineFor = (budgetMs: number) => budgetMs + 30_000;
