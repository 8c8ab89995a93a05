/**
 * The kubelet of one node: a loop over the pods bound to it. Each sync moves a pod one step
 * (pod-startup.ts: ContainerCreating → Running after latencies.podStartMs, with an IP from the
 * node's podCIDR; restarts.ts: exits, crash-loop back-off; termination.ts: deletion after a
 * shortened grace period). What containerd would keep across a kubelet restart lives in
 * NodeState (node-state.ts), outside this process, so `node-notready:<node>` can stop it and
 * bring it back.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from '../controllers/kit/context.js';
import { startLoop } from '../controllers/kit/loop.js';
import { keyOf, splitKey } from '../controllers/kit/objects.js';
import { crashesByFault, isCoreDnsPod } from './coredns-fault.js';
import { createHeartbeat } from './heartbeat.js';
import type { NodeKubelet } from './node-kubelet.js';
import type { NodeState } from './node-state.js';
import { adopt, begin, ensureSandbox, resumePulls, sandboxTimer, waitForStart } from './pod-startup.js';
import { handleExit, restartNowIfWaiting, resumeRunning, scheduleFaultCrash } from './restarts.js';
import { podGone, terminate } from './termination.js';

export type { NodeState } from './node-state.js';

export interface Kubelet {
  stop: Stop;
  containerExited(pod: KubeObj, container: string, exitCode: number, reason: string, message?: string): void;
}

export function startKubelet(ctx: ControllerContext, state: NodeState): Kubelet {
  const { store } = ctx;
  // The loop is set in onStart, which runs before the first sync.
  const k = { ctx, state } as NodeKubelet;
  let started = false;

  const stop = startLoop(ctx, {
    name: `kubelet-${state.name}`,
    watches: {
      pods: (e) => {
        if (e.object.spec?.nodeName !== state.name) return [];
        const key = keyOf(e.object);
        state.lastSeen.set(key, e.object);
        return [key];
      },
    },
    initialKeys: () => {
      const keys = store
        .list('pods')
        .filter((p) => p.spec?.nodeName === state.name)
        .map((p) => {
          state.lastSeen.set(keyOf(p), p);
          return keyOf(p);
        });
      // Pods deleted while this kubelet was away: their containers must still be stopped.
      return [...new Set([...keys, ...state.lastSeen.keys()])];
    },
    onStart: (loop) => {
      k.loop = loop;
      started = true;
      const beat = createHeartbeat(ctx, state.name);
      beat();
      loop.timers.every('heartbeat', ctx.timings.nodeHeartbeatMs, beat);
      const unsubscribe = ctx.faults.onChange(() => {
        beat();
        onFaultsChanged(k);
      });
      return () => {
        unsubscribe();
        started = false;
      };
    },
    sync: (key) => syncPod(k, key),
  });

  return {
    stop,
    containerExited(pod, container, exitCode, reason, message) {
      if (started) handleExit(k, pod, container, exitCode, reason, message);
    },
  };
}

/** One step for one pod, by the stage its record is in. */
function syncPod(k: NodeKubelet, key: string): void {
  const { state } = k;
  const { namespace, name } = splitKey(key);
  const pod = k.ctx.store.get('pods', namespace, name);
  const last = state.lastSeen.get(key);
  if (!pod || pod.spec?.nodeName !== state.name) {
    if (last) podGone(k, last);
    state.lastSeen.delete(key);
    return;
  }
  if (last && last.metadata.uid !== pod.metadata.uid) podGone(k, last);
  let rec = state.pods.get(pod.metadata.uid!);
  if (!rec) {
    rec = adopt(k, pod);
    state.pods.set(rec.uid, rec);
  }
  if (pod.metadata.deletionTimestamp) {
    terminate(k, pod, rec);
    return;
  }
  if (rec.stage === 'new') begin(k, pod, rec);
  else if (rec.stage === 'sandbox') ensureSandbox(k, pod, rec);
  else if (rec.stage === 'starting') waitForStart(k, pod, rec);
  else if (rec.stage === 'running') {
    resumeRunning(k, pod, rec);
    resumePulls(k, pod, rec);
  }
}

/** A fault switched on or off: every pod of this node is looked at again. */
function onFaultsChanged(k: NodeKubelet): void {
  const { faults, store } = k.ctx;
  for (const pod of store.list('pods').filter((p) => p.spec?.nodeName === k.state.name)) {
    const rec = k.state.pods.get(pod.metadata.uid!);
    if (rec?.stage === 'running' && crashesByFault(faults, pod)) scheduleFaultCrash(k, pod);
    if (rec?.stage === 'running' && !crashesByFault(faults, pod) && isCoreDnsPod(pod)) restartNowIfWaiting(k, pod, rec);
    if (rec?.stage === 'sandbox' && !faults.has('cni-down') && !faults.has('cni-missing')) {
      k.loop.timers.cancel(sandboxTimer(rec));
    }
    k.loop.queue.add(keyOf(pod));
  }
}
