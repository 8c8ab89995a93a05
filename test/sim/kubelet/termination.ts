/**
 * A pod's end on its node: deleted with a grace period (containers stopped, the pod removed
 * once the shortened grace has passed, by deleting it again with grace 0, as the kubelet's
 * status manager does), or gone from the API (what still runs is stopped and forgotten).
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
    for (const [name, container] of rec.containers) {
      cancelRestart(k, rec, name);
      if (!container.running) continue;
      containerEvent(k, pod, name, 'Normal', 'Killing', `Stopping container ${name}`);
      container.running = false;
      ctx.runtime.stopContainer(pod, name);
    }
  }
  const graceMs = Math.min((pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000, ctx.timings.podDeletionGraceMs);
  loop.timers.ensure(`delete:${rec.uid}`, graceMs, () => {
    const current = ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (current?.metadata.uid !== rec.uid) return;
    ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
  });
}

/** The pod is gone from the API: stop what still runs and forget it. */
export function podGone(k: NodeKubelet, pod: KubeObj): void {
  const { ctx, state, loop } = k;
  const rec = state.pods.get(pod.metadata.uid!);
  if (!rec) return;
  for (const [name, container] of rec.containers) {
    cancelRestart(k, rec, name);
    if (container.running) ctx.runtime.stopContainer(pod, name);
  }
  for (const t of [...startupTimers(rec), `delete:${rec.uid}`, `crash:${rec.uid}`]) loop.timers.cancel(t);
  for (const c of containersOf(pod)) cancelPulls(k, rec, c.name);
  releaseIp(k, pod, rec);
  state.pods.delete(rec.uid);
}
