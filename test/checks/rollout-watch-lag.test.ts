/**
 * The Deployment's status and its pods reach kubeproof on two watches, and nothing orders one
 * after the other: the Deployment can say "2 available" before the pod watch has shown those
 * pods Ready (a loaded API server or client makes it tens of milliseconds). workload.rollout must
 * not hand over to the checks that pick their pods from the pod watch until that watch agrees;
 * before it waited, pods.exec, pods.portforward and pods.logs answered "no ready web pod" (error)
 * on a healthy cluster.
 */
import { afterEach, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import type { Deployment, Pod } from '../../src/kube/objects.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, runAudit, statusVector } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** How much later the pod watch shows the web pods Ready than the Deployment counts them. */
const POD_WATCH_LAG_MS = 300;

/** A web pod as the pod watch showed it before it caught up: Running, not Ready yet. */
function notReadyYet(pod: Pod): Pod {
  if (pod.metadata?.labels?.app !== 'web') return pod;
  const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
  return { ...pod, status: { ...pod.status, conditions } };
}

/** The real cluster access whose pod watch lags the Deployment watch by POD_WATCH_LAG_MS. */
function laggingPodWatch(credentials: Parameters<typeof createClusterAccess>[0]): ClusterAccess {
  const real = createClusterAccess(credentials);
  let caughtUp = false;
  const redeliveries: Array<() => void> = [];
  const waitFor: ClusterAccess['waitFor'] = (resource, selector, predicate, opts) => {
    if (resource === 'pods') {
      let last: Pod[] = [];
      redeliveries.push(() => predicate(last as never));
      return real.waitFor(
        resource,
        selector,
        (pods) => {
          last = [...pods] as Pod[];
          return predicate((caughtUp ? pods : (pods as Pod[]).map(notReadyYet)) as never);
        },
        opts,
      );
    }
    if (resource === 'deployments') {
      return real.waitFor(
        resource,
        selector,
        (deployments) => {
          const available = (deployments as Deployment[]).some((d) => (d.status?.availableReplicas ?? 0) >= 2);
          if (available && !caughtUp)
            setTimeout(() => {
              caughtUp = true;
              for (const redeliver of redeliveries) redeliver();
            }, POD_WATCH_LAG_MS);
          return predicate(deployments);
        },
        opts,
      );
    }
    return real.waitFor(resource, selector, predicate, opts);
  };
  return Object.assign(Object.create(real) as ClusterAccess, { waitFor });
}

it('a pod watch that lags the Deployment watch: the rollout waits for it, the pod checks pass', async () => {
  sim = await startSimCluster();
  const run = await runAudit(sim, {
    selection: ['workload.rollout', 'pods.exec', 'pods.portforward', 'pods.logs'],
    connect: laggingPodWatch,
  });
  const vector = statusVector(run);
  for (const id of ['workload.rollout', 'pods.exec', 'pods.portforward', 'pods.logs'])
    expect(vector[id], explain(run)).toBe('passed');
}, 60_000);
