/**
 * "Too slow to tell": at the end of a wait budget, pods the cluster is still starting — an image
 * still being pulled (`Pulling` without `Pulled`/`Failed`), containers still ContainerCreating or
 * PodInitializing with no failure event, or a node being added for them (cluster-autoscaler's
 * `TriggeredScaleUp`). That is `error` with cause `timeout`, never `failed`: nothing is broken
 * yet, the cluster is slower than the budget. Event reasons as the kubelet records them
 * (kubernetes/kubernetes pkg/kubelet/events/event.go: Pulling, Pulled, Failed, BackOff,
 * FailedCreatePodSandBox) and cluster-autoscaler (core/scaleup: TriggeredScaleUp).
 */
import type { CheckContext, CheckOutcome } from '../../types.js';
import type { EventView } from './diagnose.js';
import type { PodView } from './pods.js';
import { type Budget, stretchedBudget } from './timings.js';

/** Events that say a pod is failing to start, not slow to start. */
const FAILING = new Set([
  'Failed',
  'BackOff',
  'FailedCreatePodSandBox',
  'FailedMount',
  'ErrImagePull',
  'InspectFailed',
  'ErrImageNeverPull',
  'FailedAttachVolume',
]);
const STARTING_REASONS = new Set(['ContainerCreating', 'PodInitializing']);

/** One line per pod still being started, saying why; empty when none is (or when one is failing). */
export function stillStarting(pods: readonly PodView[], events: readonly EventView[]): string[] {
  const slow: string[] = [];
  for (const pod of pods) {
    if (pod.ready) continue;
    const own = events.filter((e) => e.object === `Pod/${pod.name}`);
    if (own.some((e) => e.reason && FAILING.has(e.reason))) return [];
    const pulling = own.some((e) => e.reason === 'Pulling') && !own.some((e) => e.reason === 'Pulled');
    const scaleUp = own.find((e) => e.reason === 'TriggeredScaleUp');
    if (pulling) slow.push(`${pod.name}: image still being pulled${pod.node ? ` on ${pod.node}` : ''}`);
    else if (scaleUp) slow.push(`${pod.name}: a node is being added for it (${scaleUp.message ?? 'TriggeredScaleUp'})`);
    else if (pod.reasons.some((r) => STARTING_REASONS.has(r)))
      slow.push(`${pod.name}: ${pod.reasons.join(', ')} on ${pod.node ?? '(no node)'}`);
  }
  return slow;
}

/** The `error` (timeout) verdict for pods still starting when the budget ran out. */
export function tooSlowOutcome(
  what: string,
  budget: Budget,
  slow: readonly string[],
  evidence: Record<string, unknown>,
): CheckOutcome {
  return {
    status: 'error',
    cause: 'timeout',
    summary: `too slow to tell: ${what} within the ${budget.ms / 1000}s budget, the cluster is still starting pods: ${slow.join('; ')}`,
    evidence: { ...evidence, budget, stillStarting: slow },
    hint: 'Nothing has failed yet: the cluster was still pulling images or adding a node when the budget ended. Re-run once images are cached (or point options.images at a closer mirror); budgets stretch with the measured initial rollout time, up to their cap.',
  };
}

/** The check's wait budget, stretched from the initial rollout's measured time (workload.rollout's evidence). */
export function budgetFor(ctx: CheckContext, baseMs: number): Budget {
  return stretchedBudget(baseMs, ctx.results.get('workload.rollout')?.evidence.secondsToAvailable);
}
