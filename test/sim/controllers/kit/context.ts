/**
 * What every control loop and kubelet is given, and the one switch that turns a component
 * off while its fault is on — a stopped component, like a killed process, keeps nothing
 * running, and relists everything when it comes back.
 */
import type { ContainerRuntime, FaultSet, KubeObj, Latencies, SimStore } from '../../contracts.js';
import type { EventRecorder } from './events.js';

/**
 * The sim's clocks. Real periods are kept and multiplied by a factor per group, so their
 * ratios — which decide orderings (a node is marked Unknown after several missed heartbeats;
 * a crash-loop back-off doubles to its cap; a probe's timeout is shorter than its period) —
 * stay the real ones. The table in test/sim/runtime/README.md lists every value.
 */
export const TIME_FACTORS = {
  /** Node heartbeats, node-monitor grace, probes (periods of seconds to a minute). */
  node: 0.1,
  /** Back-offs that start at 10 s and cap at 5 min (crash loops, image pulls). */
  backoff: 0.02,
} as const;

/** Real durations (ms) of what the sim plays, from upstream defaults. */
export const REAL_TIMINGS = {
  /** kubelet nodeLeaseDurationSeconds 40 / renew interval = 25% of it: 10 s (pkg/kubelet/nodelease). */
  nodeHeartbeatMs: 10_000,
  /** kube-controller-manager --node-monitor-grace-period: 40 s before v1.32, 50 s from v1.32. */
  nodeMonitorGraceMs: 50_000,
  /** Pod spec terminationGracePeriodSeconds default: 30 s. */
  podDeletionGraceMs: 30_000,
  /** kubelet's crash-loop and image-pull back-off: 10 s doubling to 300 s (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff). */
  backoffBaseMs: 10_000,
  backoffMaxMs: 300_000,
  /** A container that ran 2 × the cap (10 min) restarts without back-off (flowcontrol.Backoff's reset). */
  backoffResetMs: 600_000,
} as const;

/**
 * `podDeletionGraceMs` that caps nothing: a pod's whole grace period is honoured (the largest
 * delay a Node timer takes; a longer one would fire at once).
 */
export const HONOUR_GRACE_PERIODS = 2 ** 31 - 1;

/** Timings of the simulation's node agents and node lifecycle, scaled down from the real ones. */
export interface SimTimings {
  /** kubelet Lease renewal interval (real: 10 s). */
  nodeHeartbeatMs: number;
  /** Without a renewal for this long a node goes Unknown (real: --node-monitor-grace-period 40–50 s). */
  nodeMonitorGraceMs: number;
  /** Upper bound on how long a deleted pod stays Terminating (real: its grace period, 30 s by default). */
  podDeletionGraceMs: number;
  /** How often a kubelet retries a pod sandbox that failed (cni-down). */
  sandboxRetryMs: number;
  /** First crash-loop / image-pull back-off (real: 10 s), doubled per failure up to backoffMaxMs (real: 5 min). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A container that ran longer than this before exiting is restarted without back-off (real: 10 min). */
  backoffResetMs: number;
  /** Real seconds of a probe's period/timeout/initial delay × this = sim ms (real: × 1000). */
  probeMsPerSecond: number;
}

export const defaultTimings: SimTimings = {
  nodeHeartbeatMs: REAL_TIMINGS.nodeHeartbeatMs * TIME_FACTORS.node,
  nodeMonitorGraceMs: REAL_TIMINGS.nodeMonitorGraceMs * TIME_FACTORS.node,
  // Not scaled by a factor but capped: 3 s per deleted pod would make every namespace deletion
  // slow, and nothing a check observes depends on how long Terminating lasts. A process that
  // exits on TERM ends it sooner (kubelet/termination.ts); `--honour-grace-periods` lifts the cap.
  podDeletionGraceMs: 200,
  // Real: the kubelet's pod worker retries at its resync (about 10 s) — scaled like the node clocks, shortened.
  sandboxRetryMs: 500,
  backoffBaseMs: REAL_TIMINGS.backoffBaseMs * TIME_FACTORS.backoff,
  backoffMaxMs: REAL_TIMINGS.backoffMaxMs * TIME_FACTORS.backoff,
  backoffResetMs: REAL_TIMINGS.backoffResetMs * TIME_FACTORS.backoff,
  probeMsPerSecond: 1000 * TIME_FACTORS.node,
};

export interface ControllerDeps {
  store: SimStore;
  faults: FaultSet;
  /** Read at use time: the control handles may change them while the cluster runs. */
  latencies: Latencies;
  clusterDomain: string;
  runtime: ContainerRuntime;
  clock?: () => Date;
  timings?: Partial<SimTimings>;
  /** The cluster CA (PEM) the root-ca-cert-publisher puts into every namespace's kube-root-ca.crt. */
  caPem?: string;
  /**
   * The ranges the CNI's IPAM hands a node's pods addresses from (one per family, primary
   * first), when they are not the node's spec.podCIDRs: Calico blocks, a VPC subnet slice,
   * Cilium's cluster pool. From the cluster profile.
   */
  podRanges?: (node: KubeObj) => string[] | undefined;
  /**
   * A slow registry: how long the first pull of an image on a node takes — `waitMs` of real
   * (scaled) time, `reportedMs` as the kubelet's Pulled event tells it (unscaled).
   */
  firstPullMs?: (nodeName: string) => { waitMs: number; reportedMs: number };
}

export interface ControllerContext {
  store: SimStore;
  faults: FaultSet;
  latencies: Latencies;
  clusterDomain: string;
  runtime: ContainerRuntime;
  clock: () => Date;
  timings: SimTimings;
  events: EventRecorder;
  podRanges?: ControllerDeps['podRanges'];
  firstPullMs?: ControllerDeps['firstPullMs'];
}

/** A running component: stop() unsubscribes its watches and clears its timers. */
export type Stop = () => void;

/**
 * Runs a component only while isUp() holds: started now if up, stopped when a fault takes
 * it down, started afresh (a full relist) when the fault is lifted.
 */
export function runWhileUp(faults: FaultSet, isUp: () => boolean, start: () => Stop): Stop {
  let running: Stop | undefined;
  const reconcile = () => {
    const up = isUp();
    if (up && !running) running = start();
    else if (!up && running) {
      running();
      running = undefined;
    }
  };
  const unsubscribe = faults.onChange(reconcile);
  reconcile();
  return () => {
    unsubscribe();
    running?.();
    running = undefined;
  };
}

/** The controllers kube-controller-manager runs all stop together with it. */
export function controllerManagerUp(faults: FaultSet): boolean {
  return !faults.has('controller-manager-down');
}

/** Subscribes to several resources with one handler; returns one unsubscribe. */
export function watchAll(store: SimStore, resources: string[], onEvent: Parameters<SimStore['watch']>[2]): Stop {
  const stops = resources.map((r) => store.watch(r, undefined, onEvent));
  return () => {
    for (const s of stops) s();
  };
}
