/**
 * What every control loop and kubelet is given, and the one switch that turns a component
 * off while its fault is on — a stopped component, like a killed process, keeps nothing
 * running, and relists everything when it comes back.
 */
import type { ContainerRuntime, FaultSet, Latencies, SimStore } from '../../contracts.js';
import type { EventRecorder } from './events.js';

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
  /** First crash-loop back-off (real: 10 s), doubled per quick exit up to backoffMaxMs (real: 5 min). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A container that ran longer than this before exiting is restarted without back-off (real: 10 min). */
  backoffResetMs: number;
}

export const defaultTimings: SimTimings = {
  nodeHeartbeatMs: 1000,
  nodeMonitorGraceMs: 4000,
  podDeletionGraceMs: 200,
  sandboxRetryMs: 500,
  backoffBaseMs: 200,
  backoffMaxMs: 2000,
  backoffResetMs: 2000,
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
