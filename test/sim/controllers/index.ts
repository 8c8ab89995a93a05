/**
 * The simulated control plane and node agents: kube-controller-manager's loops, the
 * scheduler, the kubelets, and the faults that switch them off.
 *
 * @example
 * const store = createMemoryStore();
 * bootstrapCluster(store, { workers: 2 });
 * const cluster = startControllers({ store, faults, latencies, clusterDomain: 'cluster.local', runtime });
 * // hand cluster.onContainerExit to the runtime (ClusterView.onContainerExit); cluster.stop() at the end
 */
import type { ClusterView } from '../contracts.js';
import { startKubelets } from '../kubelet/index.js';
import { startDaemonSetController } from './daemonset.js';
import { startDeploymentController } from './deployment.js';
import { startEndpointSliceController } from './endpointslice.js';
import { startGarbageCollector } from './garbage-collector.js';
import {
  type ControllerContext,
  type ControllerDeps,
  controllerManagerUp,
  defaultTimings,
  runWhileUp,
  type Stop,
} from './kit/context.js';
import { EventRecorder } from './kit/events.js';
import { startLeaderLease } from './leader-leases.js';
import { startNamespaceController } from './namespace.js';
import { startNodeLifecycleController } from './node-lifecycle.js';
import { startNodesUnschedulableFault } from './nodes-unschedulable.js';
import { startReplicaSetController } from './replicaset.js';
import { startRootCaPublisher } from './root-ca-publisher.js';
import { startScheduler } from './scheduler.js';
import { startServiceAccountController } from './serviceaccount.js';

export type { ControllerDeps, SimTimings } from './kit/context.js';
export { defaultTimings } from './kit/context.js';

export interface RunningControllers {
  stop(): void;
  onContainerExit: ClusterView['onContainerExit'];
}

export function startControllers(deps: ControllerDeps): RunningControllers {
  const clock = deps.clock ?? (() => new Date());
  const ctx: ControllerContext = {
    store: deps.store,
    faults: deps.faults,
    latencies: deps.latencies,
    clusterDomain: deps.clusterDomain,
    runtime: deps.runtime,
    clock,
    timings: { ...defaultTimings, ...(deps.timings ?? {}) },
    events: new EventRecorder(deps.store, clock),
    podRanges: deps.podRanges,
    firstPullMs: deps.firstPullMs,
  };
  const cmUp = () => controllerManagerUp(ctx.faults);
  const managed = (start: (c: ControllerContext) => Stop, extraUp: () => boolean = () => true) =>
    runWhileUp(
      ctx.faults,
      () => cmUp() && extraUp(),
      () => start(ctx),
    );

  const kubelets = startKubelets(ctx);
  const stops: Stop[] = [
    managed(startServiceAccountController),
    ...(deps.caPem ? [managed((c) => startRootCaPublisher(c, deps.caPem!))] : []),
    managed((c) => startLeaderLease(c, 'kube-controller-manager')),
    runWhileUp(
      ctx.faults,
      () => !ctx.faults.has('scheduler-down'),
      () => startLeaderLease(ctx, 'kube-scheduler'),
    ),
    managed(startNamespaceController),
    managed(startGarbageCollector),
    managed(startNodeLifecycleController),
    managed(startDeploymentController),
    managed(startReplicaSetController),
    managed(startDaemonSetController),
    managed(startEndpointSliceController, () => !ctx.faults.has('endpoints-controller-down')),
    runWhileUp(
      ctx.faults,
      () => !ctx.faults.has('scheduler-down'),
      () => startScheduler(ctx),
    ),
    startNodesUnschedulableFault(ctx),
    kubelets.stop,
  ];
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops) stop();
    },
    onContainerExit: (namespace, pod, container, exitCode, reason, message) =>
      kubelets.onContainerExit(namespace, pod, container, exitCode, reason, message),
  };
}
