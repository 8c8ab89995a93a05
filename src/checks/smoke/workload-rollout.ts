import { convergedWithin } from '../../kube/converge.js';
import type { Deployment } from '../../kube/objects.js';
import { byName } from '../../kube/selectors.js';
import { createWorkload } from '../../workload/create.js';
import { createPod, isServiceAccountRefusal } from '../../workload/create-pod.js';
import { restartProbePod } from '../../workload/manifests.js';
import { WEB_SELECTOR } from '../../workload/names.js';
import type { NetworkPolicyOutcome, WorkloadHandle } from '../../workload/types.js';
import { policyOutcome } from '../policy.js';
import type { CheckContext, CheckDefinition } from '../types.js';
import { deniedByCondition, deniedPods } from './shared/denied-pods.js';
import { diagnosePods, namespaceSnapshot } from './shared/diagnose.js';
import { callOpts, describePods, isRunningAndReady, isServing, progressLine, waitingFor } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { stillStarting, tooSlowOutcome } from './shared/slow-start.js';
import { deadlineFor, type SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `kubectl rollout status`'s notion of done. */
function rolloutDone(d: Deployment | undefined, replicas: number): boolean {
  if (!d) return false;
  const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1);
  return observed && (d.status?.updatedReplicas ?? 0) >= replicas && (d.status?.availableReplicas ?? 0) >= replicas;
}

/** The text `kubectl rollout status` would print for this Deployment. */
export function rolloutStatusText(d: Deployment | undefined, replicas: number): string {
  if (!d) return 'deployment "web" not found';
  const generation = d.metadata?.generation ?? 1;
  if ((d.status?.observedGeneration ?? 0) < generation) return 'Waiting for deployment spec update to be observed...';
  const available = d.status?.availableReplicas ?? 0;
  if (available < replicas) {
    return `Waiting for deployment "web" rollout to finish: ${available} of ${replicas} updated replicas are available...`;
  }
  return 'deployment "web" successfully rolled out';
}

/** The event saying what kubeproof did about NetworkPolicies in its namespace. */
function networkPolicyLine(np: NetworkPolicyOutcome, namespace: string): string {
  if (np.created)
    return `NetworkPolicy ${np.name} created in ${namespace}: allows kubeproof's pods' traffic inside the namespace, DNS to kube-system${np.nodePorts.length ? ` and NodePort ${np.nodePorts.join(', ')}` : ''}, so a default-deny policy does not drop it`;
  return `NetworkPolicy for kubeproof's own traffic not created in ${namespace} (${np.reason}: ${np.message}); a default-deny policy there would drop its calls`;
}

/**
 * The Deployment's status and its pods arrive on two watches, and either may be delivered
 * first: `availableReplicas` can count both pods Ready before the pod watch has shown them
 * Ready (by milliseconds, more on a loaded API server or client). The checks after this one
 * pick their pods from the pod watch, so the rollout waits until it agrees; if it never does
 * within the budget, kubeproof cannot tell (error), the cluster did not fail.
 */
async function podWatchAgrees(ctx: CheckContext, w: WorkloadHandle, timeoutMs: number): Promise<void> {
  const agreed = await convergedWithin(() =>
    ctx.cluster.waitFor(
      'pods',
      { namespace: w.namespace, labelSelector: w.webLabelSelector },
      (pods) => (pods.filter(isServing).length >= w.replicas ? true : undefined),
      { signal: ctx.signal, timeoutMs },
    ),
  );
  if (!agreed)
    throw new Error(
      `the Deployment reports ${w.replicas} available replicas, but the pod watch showed fewer Ready web pods within ${timeoutMs} ms`,
    );
}

/**
 * `workload.rollout`: creates the web Deployment, its Service and the client pod in the run's
 * namespace (which the engine prepared before this check started) and waits for them to run.
 */
export function workloadRollout(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'workload.rollout',
    title: 'The web Deployment rolls out and becomes Available; the client pod runs',
    component: 'controller-chain',
    prerequisites: ['preflight.api'],
    rbac: [...RBAC.workload, ...RBAC.readPods, ...RBAC.readDeployments],
    deadlineMs: deadlineFor(t.rolloutMs + t.serviceAccountMs),
    async run(ctx, w) {
      const started = ctx.clock.now().getTime();
      const created = await createWorkload({
        cluster: ctx.cluster,
        workload: w,
        options: ctx.options,
        signal: ctx.signal,
        serviceAccountWaitMs: t.serviceAccountMs,
      });
      ctx.progress?.(networkPolicyLine(created.networkPolicy, w.namespace));
      const [denied] = created.denied;
      if (denied)
        return policyOutcome(denied.denial, denied.object, { namespace: w.namespace, created: created.created });
      let deployment: Deployment | undefined;
      const waited =
        created.refusals.length === 0 &&
        (await convergedWithin(() =>
          Promise.all([
            ctx.cluster.waitFor(
              'deployments',
              byName(w.deploymentName, w.namespace),
              (objs) => {
                deployment = objs[0];
                // A denial on ReplicaFailure does not go away by waiting: stop and report it.
                if (deniedByCondition(deployment)) return false;
                return rolloutDone(deployment, w.replicas) ? true : undefined;
              },
              { signal: ctx.signal, timeoutMs: t.rolloutMs },
            ),
            // Every pod of the namespace (one watch, as before one per name): the client's readiness
            // decides, the others say what the rollout waits for.
            ctx.cluster.waitFor(
              'pods',
              { namespace: w.namespace },
              (pods) => {
                const client = pods.find((p) => p.metadata?.name === w.clientPodName);
                const web = pods.filter((p) => p.metadata?.labels?.app === WEB_SELECTOR.app);
                const line = progressLine('rollout', web, w.replicas);
                ctx.progress?.(client && !isRunningAndReady(client) ? `${line}; ${waitingFor(client)}` : line);
                return isRunningAndReady(client) ? true : undefined;
              },
              { signal: ctx.signal, timeoutMs: t.rolloutMs },
            ),
          ]),
        ));
      const converged = waited && rolloutDone(deployment, w.replicas);
      if (converged) await podWatchAgrees(ctx, w, t.rolloutMs);
      // The events explain a rollout that did not converge; a passing one needs none.
      const snapshot = await namespaceSnapshot(ctx, w.namespace, undefined, !converged);
      const evidence = {
        namespace: w.namespace,
        created: created.created,
        refusals: created.refusals,
        networkPolicy: created.networkPolicy,
        // The Service is a ClusterIP one: service.nodeport reports why.
        ...(w.nodePortRefused ? { nodePortRefused: w.nodePortRefused.message } : {}),
        rolloutStatus: rolloutStatusText(deployment, w.replicas),
        pods: snapshot.pods,
        ...(converged ? {} : { events: snapshot.events }),
        secondsToAvailable: converged ? (ctx.clock.now().getTime() - started) / 1000 : undefined,
      };
      const podsDenied = converged ? undefined : deniedPods(deployment, snapshot.events);
      if (podsDenied) return policyOutcome(podsDenied, "the web Deployment's pods", evidence);
      const slow = converged || created.refusals.length > 0 ? [] : stillStarting(snapshot.pods, snapshot.events);
      if (slow.length > 0) {
        const budget = { ms: t.rolloutMs, baseMs: t.rolloutMs, capMs: t.rolloutMs };
        return tooSlowOutcome('the web Deployment did not roll out', budget, slow, evidence);
      }
      if (converged) {
        // kubelet.restart's probe starts now, in parallel with the checks that come first.
        if (w.restartProbe?.wanted) {
          w.restartProbe.created = createPod(
            ctx.cluster,
            restartProbePod(w, ctx.options),
            w.namespace,
            callOpts(ctx),
            t.serviceAccountMs,
          ).then(
            () => true,
            () => false,
          );
        }
        return {
          status: 'passed',
          summary: `web rolled out: ${describePods(snapshot.pods.filter((p) => p.name.startsWith('web-'))).join('; ')}`,
          evidence,
        };
      }
      return {
        status: 'failed',
        ...explainFailure(created.refusals, evidence.rolloutStatus, snapshot),
        evidence,
      };
    },
  });
}

function explainFailure(
  refusals: string[],
  rolloutStatus: string,
  snapshot: Awaited<ReturnType<typeof namespaceSnapshot>>,
): { summary: string; hint: string } {
  // The client pod is refused only after admission and kubeproof both waited for the account (create-pod.ts).
  const saRefusal = refusals.find(isServiceAccountRefusal);
  const controllerHint =
    'The controller-manager is not running or not reconciling: check its process/static pod, its logs and its leader-election lease (article 8).';
  if (saRefusal) {
    return {
      summary: `controllers are not acting: ${saRefusal}; ${rolloutStatus}`,
      hint: controllerHint,
    };
  }
  if (rolloutStatus.startsWith('Waiting for deployment spec update')) {
    return { summary: `the Deployment was never picked up by its controller: ${rolloutStatus}`, hint: controllerHint };
  }
  if (refusals.length > 0) {
    return {
      summary: `the API server refused the workload: ${refusals.join('; ')}`,
      hint: 'See the refusal messages; an admission policy or quota may block the workload.',
    };
  }
  const diagnosis = diagnosePods(snapshot.pods, snapshot.events);
  if (diagnosis) return { summary: `${rolloutStatus} — ${diagnosis.finding}`, hint: diagnosis.hint };
  return {
    summary: rolloutStatus,
    hint: 'Pods did not become Ready in time: `kubectl describe pod` in the run namespace; check node readiness and resources.',
  };
}
