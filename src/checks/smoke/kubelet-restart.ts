import { ClusterError, isInconclusive } from '../../kube/cluster-access.js';
import { convergedWithin } from '../../kube/converge.js';
import type { Pod } from '../../kube/objects.js';
import { byName } from '../../kube/selectors.js';
import { createPod } from '../../workload/create-pod.js';
import { restartProbePod } from '../../workload/manifests.js';
import type { CheckDefinition } from '../types.js';
import { namespaceSnapshot } from './shared/diagnose.js';
import { callOpts, isReady, isRunningAndReady, type PodView, podView } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { budgetFor, stillStarting, tooSlowOutcome } from './shared/slow-start.js';
import { capOf, deadlineFor, type SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `kubelet.restart`: the restart probe's main process is killed and the kubelet restarts the container. */
export function kubeletRestart(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'kubelet.restart',
    title: 'A container whose main process is killed is restarted by the kubelet',
    component: 'kubelet-runtime',
    prerequisites: ['pods.exec'],
    disruptive: true,
    // It kills PID 1 of the restart probe, a pod no other check reads or counts (the web pods
    // self-heal, scale and the network checks use are untouched), so it need not wait its turn.
    isolated: true,
    rbac: [...RBAC.readPods, ...RBAC.createPods, ...RBAC.exec],
    deadlineMs: deadlineFor(capOf(t.restartMs) + t.restartMs),
    async run(ctx, w) {
      // The probe pod starts like any new pod (it may pull on a cold node): that wait stretches.
      const startBudget = budgetFor(ctx, t.restartMs);
      // Usually created when the workload rolled out (workload-rollout.ts); if not, now.
      const early = await w.restartProbe?.created;
      if (!early)
        await createPod(ctx.cluster, restartProbePod(w, ctx.options), w.namespace, callOpts(ctx), t.serviceAccountMs);
      let view: PodView | undefined;
      const watchProbe = (predicate: (p: Pod) => boolean, timeoutMs: number) =>
        ctx.cluster.waitFor(
          'pods',
          byName(w.restartProbePodName, w.namespace),
          ([p]) => {
            if (p) view = podView(p);
            return p && predicate(p) ? true : undefined;
          },
          { signal: ctx.signal, timeoutMs },
        );
      const running = await convergedWithin(() => watchProbe(isRunningAndReady, startBudget.ms));
      if (!running) {
        const snapshot = await namespaceSnapshot(ctx, w.namespace, `app=${w.restartProbePodName}`, true);
        const slow = stillStarting(snapshot.pods, snapshot.events);
        if (slow.length > 0) {
          return tooSlowOutcome(`${w.restartProbePodName} did not start`, startBudget, slow, {
            pod: view,
            events: snapshot.events,
          });
        }
        return {
          status: 'failed',
          summary: `${w.restartProbePodName} did not start within ${startBudget.ms / 1000}s`,
          evidence: { pod: view, budget: startBudget, events: snapshot.events },
          hint: 'A fresh pod did not start: see its events (scheduler, kubelet, CNI).',
        };
      }
      const restartsBefore = view?.restarts ?? 0;
      const started = ctx.clock.now().getTime();
      try {
        await ctx.cluster.exec(
          {
            namespace: w.namespace,
            pod: w.restartProbePodName,
            container: w.restartProbePodName,
            command: ['kill', '1'],
          },
          callOpts(ctx),
        );
      } catch (err) {
        // The session may be torn down as PID 1 exits; only "could not tell" errors matter.
        if (isInconclusive(err) || !(err instanceof ClusterError)) throw err;
      }
      const restarted = await convergedWithin(() =>
        watchProbe((p) => podView(p).restarts > restartsBefore && isReady(p), t.restartMs),
      );
      const seconds = (ctx.clock.now().getTime() - started) / 1000;
      const evidence = {
        pod: w.restartProbePodName,
        node: view?.node,
        restartsBefore,
        restartsAfter: view?.restarts,
        reasons: view?.reasons,
        seconds: restarted ? seconds : undefined,
      };
      if (restarted) {
        return {
          status: 'passed',
          summary: `killed PID 1 of ${w.restartProbePodName} on ${view?.node}; restartCount ${restartsBefore} → ${view?.restarts}, Ready again after ${seconds.toFixed(1)}s`,
          evidence,
        };
      }
      return {
        status: 'failed',
        summary: `killed PID 1 of ${w.restartProbePodName} on ${view?.node}; restartCount stayed ${view?.restarts ?? restartsBefore}${view?.reasons.length ? ` (${view.reasons.join(', ')})` : ''}`,
        evidence,
        hint: `The kubelet on ${view?.node ?? 'that node'} did not restart the container: check \`journalctl -u kubelet\`, \`crictl ps -a\` and containerd on that node (articles 10, 11).`,
      };
    },
  });
}
