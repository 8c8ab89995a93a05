/**
 * A pod's end on its node: deleted with a grace period, or gone from the API (what still runs
 * is stopped and forgotten). With a grace period, as the kubelet's killContainer does
 * (kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go: StopContainer with
 * the grace period as its timeout; the runtime sends the stop signal, SIGTERM, then SIGKILL when
 * the timeout expires): each main process gets TERM; the pod is removed (deleted again with
 * grace 0, as the kubelet's status manager does) once every one has exited, or when the grace
 * period — capped by `timings.podDeletionGraceMs` — is over, whichever comes first. So an
 * agnhost pod goes at once, while `sleep` as PID 1, which ignores TERM, takes its whole grace.
 */
import type { KubeObj } from '../contracts.js';
import { cancelPulls } from './image-pulls.js';
import { containerEvent, containersOf, type NodeKubelet, releaseIp } from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { startupTimers } from './pod-startup.js';
import { cancelRestart } from './restarts.js';

export function terminate(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  const { ctx, loop } = k;
  if (rec.stage !== 'terminating') {
    rec.stage = 'terminating';
    for (const t of startupTimers(rec)) loop.timers.cancel(t);
    for (const c of containersOf(pod)) cancelPulls(k, rec, c.name);
    const stopping: string[] = [];
    for (const [name, container] of rec.containers) {
      cancelRestart(k, rec, name);
      if (!container.running) continue;
      containerEvent(k, pod, name, 'Normal', 'Killing', `Stopping container ${name}`);
      container.running = false;
      stopping.push(name);
    }
    rec.terminatingContainers = new Set(stopping);
    for (const name of stopping) {
      if (!ctx.runtime.terminateContainer) {
        ctx.runtime.stopContainer(pod, name);
        rec.terminatingContainers.delete(name);
        continue;
      }
      ctx.runtime.terminateContainer(pod, name, () => {
        rec.terminatingContainers?.delete(name);
        // Every process has ended: the pod need not wait for the rest of its grace period.
        if (rec.terminatingContainers?.size === 0 && loop.timers.has(deleteTimer(rec)))
          loop.timers.set(deleteTimer(rec), 0, () => removePod(k, pod, rec));
      });
    }
  }
  const graceMs = Math.min((pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000, ctx.timings.podDeletionGraceMs);
  const allExited = rec.terminatingContainers?.size === 0;
  loop.timers.ensure(deleteTimer(rec), allExited ? 0 : graceMs, () => removePod(k, pod, rec));
}

const deleteTimer = (rec: PodRecord) => `delete:${rec.uid}`;

/** The grace period is over (or every process has exited): SIGKILL what still runs, remove the pod. */
function removePod(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  const { ctx } = k;
  for (const name of rec.terminatingContainers ?? []) ctx.runtime.stopContainer(pod, name);
  rec.terminatingContainers?.clear();
  const current = ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
  if (current?.metadata.uid !== rec.uid) return;
  ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
}

/** The pod is gone from the API: stop what still runs and forget it. */
export function podGone(k: NodeKubelet, pod: KubeObj): void {
  const { ctx, state, loop } = k;
  const rec = state.pods.get(pod.metadata.uid!);
  if (!rec) return;
  for (const [name, container] of rec.containers) {
    cancelRestart(k, rec, name);
    if (container.running || rec.terminatingContainers?.has(name)) ctx.runtime.stopContainer(pod, name);
  }
  rec.terminatingContainers?.clear();
  for (const t of [...startupTimers(rec), `delete:${rec.uid}`, `crash:${rec.uid}`]) loop.timers.cancel(t);
  for (const c of containersOf(pod)) cancelPulls(k, rec, c.name);
  releaseIp(k, pod, rec);
  state.pods.delete(rec.uid);
}
