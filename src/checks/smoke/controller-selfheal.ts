import { convergedWithin } from '../../kube/converge.js';
import type { CheckDefinition } from '../types.js';
import { namespaceSnapshot } from './shared/diagnose.js';
import { callOpts, describePods, isRunningAndReady, progressLine, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { budgetFor, stillStarting, tooSlowOutcome } from './shared/slow-start.js';
import { capOf, deadlineFor, type SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `controller.selfheal`: a deleted web pod is replaced and the Deployment is fully available again. */
export function controllerSelfHeal(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'controller.selfheal',
    title: 'A deleted web pod is replaced and the Deployment is back to full availability',
    component: 'controller-manager',
    prerequisites: ['workload.rollout'],
    disruptive: true,
    rbac: [...RBAC.readPods, ...RBAC.deletePods],
    deadlineMs: deadlineFor(capOf(t.selfHealMs)),
    async run(ctx, w) {
      const budget = budgetFor(ctx, t.selfHealMs);
      const before = await readyWebPods(ctx);
      const victim = before[0];
      if (!victim) throw new Error('no ready web pod to delete');
      const started = ctx.clock.now().getTime();
      await ctx.cluster.delete('pods', victim.name, w.namespace, callOpts(ctx));
      let replacement: string | undefined;
      const healed = await convergedWithin(() =>
        ctx.cluster.waitFor(
          'pods',
          { namespace: w.namespace, labelSelector: w.webLabelSelector },
          (pods) => {
            const live = pods.filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.name !== victim.name);
            const ready = live.filter(isRunningAndReady);
            replacement = live.find((p) => !before.some((b) => b.name === p.metadata?.name))?.metadata?.name;
            ctx.progress?.(progressLine(`replacing ${victim.name}:`, live, w.replicas));
            return ready.length >= w.replicas && replacement ? true : undefined;
          },
          { signal: ctx.signal, timeoutMs: budget.ms },
        ),
      );
      const recoverySeconds = (ctx.clock.now().getTime() - started) / 1000;
      const after = await namespaceSnapshot(ctx, w.namespace, w.webLabelSelector, !healed);
      const evidence = {
        deleted: victim.name,
        replacement,
        recoverySeconds: healed ? recoverySeconds : undefined,
        budget,
        podsAfter: after.pods,
      };
      if (healed) {
        return {
          status: 'passed',
          summary: `deleted ${victim.name}; ${replacement} replaced it, ${w.replicas}/${w.replicas} ready after ${recoverySeconds.toFixed(1)}s`,
          evidence,
        };
      }
      const slow = replacement ? stillStarting(after.pods, after.events) : [];
      if (slow.length > 0) {
        return tooSlowOutcome(`replacement ${replacement} did not become ready`, budget, slow, {
          ...evidence,
          events: after.events,
        });
      }
      return {
        status: 'failed',
        summary: replacement
          ? `deleted ${victim.name}; replacement ${replacement} did not become ready within ${budget.ms / 1000}s (${describePods(after.pods).join('; ')})`
          : `deleted ${victim.name}; no replacement pod within ${budget.ms / 1000}s`,
        evidence: { ...evidence, events: after.events },
        hint: replacement
          ? 'The ReplicaSet created a replacement but it did not start: see the pod events (scheduler, kubelet, CNI).'
          : 'The ReplicaSet controller did not replace the pod: kube-controller-manager is not running or not reconciling (article 8).',
      };
    },
  });
}
