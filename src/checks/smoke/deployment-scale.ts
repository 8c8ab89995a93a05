import { convergedWithin } from '../../kube/converge.js';
import type { Deployment } from '../../kube/objects.js';
import { byName } from '../../kube/selectors.js';
import type { CheckDefinition } from '../types.js';
import { namespaceSnapshot } from './shared/diagnose.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { budgetFor, stillStarting, tooSlowOutcome } from './shared/slow-start.js';
import { capOf, deadlineFor, type SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';
import { rolloutStatusText } from './workload-rollout.js';

/** `deployment.scale`: scaling the web Deployment from N to N+1 ends with N+1 available. */
export function deploymentScale(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'deployment.scale',
    title: 'Scaling N → N+1 ends with N+1 available',
    component: 'deployment-controller',
    prerequisites: ['workload.rollout'],
    after: ['controller.selfheal'],
    disruptive: true,
    rbac: [...RBAC.readDeployments, ...RBAC.scaleDeployments],
    deadlineMs: deadlineFor(capOf(t.scaleMs)),
    async run(ctx, w) {
      const budget = budgetFor(ctx, t.scaleMs);
      const target = w.replicas + 1;
      const started = ctx.clock.now().getTime();
      const patched = await ctx.cluster.patch(
        'deployments',
        w.deploymentName,
        { spec: { replicas: target } },
        w.namespace,
        callOpts(ctx),
      );
      const generation = patched.metadata?.generation ?? 0;
      let last: Deployment | undefined;
      const scaled = await convergedWithin(() =>
        ctx.cluster.waitFor(
          'deployments',
          byName(w.deploymentName, w.namespace),
          ([d]) => {
            last = d;
            const s = d?.status ?? {};
            ctx.progress?.(`scale to ${target}: ${s.availableReplicas ?? 0}/${target} available`);
            return (s.observedGeneration ?? 0) >= generation &&
              (s.availableReplicas ?? 0) >= target &&
              (s.readyReplicas ?? s.availableReplicas ?? 0) >= target
              ? true
              : undefined;
          },
          { signal: ctx.signal, timeoutMs: budget.ms },
        ),
      );
      const seconds = (ctx.clock.now().getTime() - started) / 1000;
      const evidence = {
        from: w.replicas,
        to: target,
        availableReplicas: last?.status?.availableReplicas ?? 0,
        rolloutStatus: rolloutStatusText(last, target),
        seconds: scaled ? seconds : undefined,
        budget,
      };
      if (scaled)
        return {
          status: 'passed',
          summary: `scaled ${w.replicas} → ${target}: ${target}/${target} available after ${seconds.toFixed(1)}s`,
          evidence,
        };
      const after = await namespaceSnapshot(ctx, w.namespace, w.webLabelSelector, true);
      const slow = stillStarting(after.pods, after.events);
      if (slow.length > 0) {
        return tooSlowOutcome(`scaling ${w.replicas} → ${target} did not finish`, budget, slow, {
          ...evidence,
          pods: after.pods,
          events: after.events,
        });
      }
      return {
        status: 'failed',
        summary: `scaled ${w.replicas} → ${target}: ${evidence.rolloutStatus}`,
        evidence,
        hint: "The Deployment/ReplicaSet controllers did not bring the new replica up: check kube-controller-manager, then the new pod's events (scheduler, kubelet) (article 8).",
      };
    },
  });
}
