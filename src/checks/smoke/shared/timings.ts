/**
 * How long checks wait for the cluster to converge before judging it broken. Distinct from a
 * check's deadline (kubeproof giving up → `error`): waiting out one of these is a `failed`
 * verdict with evidence. Tests shrink them; defaults suit a real cluster pulling images.
 */
export interface SmokeTimings {
  /** Deployment Available + client pod Running. */
  rolloutMs: number;
  /** The namespace's `default` ServiceAccount appearing, once admission refused a pod for its lack. */
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

/** How far a budget stretches with a slow cluster: at most this many times its default. */
export const BUDGET_CAP_FACTOR = 3;
/** A later pod start may take this many times what the initial rollout took (a cold node pulls again). */
const ROLLOUT_FACTOR = 2;

/** A wait budget as the report shows it: what was allowed, and why. */
export interface Budget {
  ms: number;
  baseMs: number;
  capMs: number;
  /** The initial rollout's measured time, when the budget was stretched from it. */
  initialRolloutSeconds?: number;
}

/** A budget's cap: the check's deadline is built on it (deadlineFor(capOf(base))). */
export const capOf = (baseMs: number) => baseMs * BUDGET_CAP_FACTOR;

/**
 * A budget that follows what the cluster showed: the default, or twice the initial rollout time
 * when that was slower (image pulls, a node being added), never more than the cap.
 * @param rolloutSeconds workload.rollout's measured `secondsToAvailable`, when it passed
 */
export function stretchedBudget(baseMs: number, rolloutSeconds: unknown): Budget {
  const capMs = capOf(baseMs);
  if (typeof rolloutSeconds !== 'number' || !Number.isFinite(rolloutSeconds)) return { ms: baseMs, baseMs, capMs };
  const ms = Math.min(capMs, Math.max(baseMs, Math.ceil(rolloutSeconds * 1000 * ROLLOUT_FACTOR)));
  return { ms, baseMs, capMs, initialRolloutSeconds: rolloutSeconds };
}
