/**
 * What the kubelet does when a container's main process ends: per restartPolicy, restart it
 * (the first exit at once, later ones after a crash-loop back-off that doubles up to a cap and
 * resets after a long enough run), or leave it terminated and end the pod once all have.
 */
import type { KubeObj } from '../contracts.js';
import { hex64 } from '../controllers/kit/names.js';
import { type Json, keyOf, splitKey } from '../controllers/kit/objects.js';
import { crashesByFault } from './coredns-fault.js';
import { goDuration } from './images.js';
import { containerEvent, containersOf, type NodeKubelet, now, releaseIp, startInRuntime } from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { podConditions, terminatedContainerStatus, waitingContainerStatus } from './pod-status.js';
import { type ProberHooks, runningStatusOf, startProbes, stopProbes } from './prober.js';
import { notReadyNames, writeContainer, writeStatus } from './status-writer.js';

const restartTimer = (rec: PodRecord, name: string) => `restart:${rec.uid}:${name}`;

export function handleExit(
  k: NodeKubelet,
  pod: KubeObj,
  name: string,
  exitCode: number,
  reason: string,
  message?: string,
): void {
  const { ctx, state, loop } = k;
  const rec = state.pods.get(pod.metadata.uid!);
  const container = rec?.containers.get(name);
  if (!rec || !container?.running || rec.stage !== 'running') return;
  container.running = false;
  container.ready = false;
  container.started = false;
  stopProbes(k, rec, name);
  const t = now(k);
  if (message) containerEvent(k, pod, name, 'Warning', 'Failed', `Error: ${message}`);
  const terminated = {
    exitCode,
    reason,
    ...(message ? { message } : {}),
    startedAt: container.startedAt,
    finishedAt: t,
    containerID: container.containerId,
  };
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const restarts = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  if (!restarts) {
    finishContainer(k, pod, rec, name, terminated);
    return;
  }
  if (ctx.faults.has('kubelet-no-restart')) {
    container.pendingExit = { exitCode, reason };
    writeContainer(k, pod, rec, name, (c) => terminatedContainerStatus(c, container, terminated));
    return;
  }
  const ranFor = Date.parse(t) - Date.parse(container.startedAt);
  if (ranFor >= ctx.timings.backoffResetMs) container.nextBackoffMs = 0;
  container.lastTerminated = terminated;
  if (container.nextBackoffMs === 0) {
    // The first exit restarts at once; the back-off only starts with the next one.
    container.nextBackoffMs = ctx.timings.backoffBaseMs;
    writeContainer(k, pod, rec, name, (c) =>
      terminatedContainerStatus(c, { ...container, lastTerminated: undefined }, terminated),
    );
    loop.timers.set(restartTimer(rec, name), 1, () => restart(k, keyOf(pod), name));
    return;
  }
  const backoff = container.nextBackoffMs;
  container.nextBackoffMs = Math.min(backoff * 2, ctx.timings.backoffMaxMs);
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  writeContainer(k, pod, rec, name, (c) =>
    waitingContainerStatus(
      c,
      'CrashLoopBackOff',
      container,
      `back-off ${goDuration(backoff)} restarting failed container=${name} pod=${podRef}`,
    ),
  );
  containerEvent(k, pod, name, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podRef}`);
  loop.timers.set(restartTimer(rec, name), backoff, () => restart(k, keyOf(pod), name));
}

/** Starts a new instance of an exited container (restartCount + 1, a new container ID). */
export function restart(k: NodeKubelet, key: string, name: string): void {
  const { namespace, name: podName } = splitKey(key);
  const pod = k.ctx.store.get('pods', namespace, podName);
  const rec = pod && k.state.pods.get(pod.metadata.uid!);
  const container = rec?.containers.get(name);
  const spec = pod && containersOf(pod).find((c) => c.name === name);
  if (!pod || !rec || !container || !spec || container.running || pod.metadata.deletionTimestamp) return;
  container.running = true;
  container.pendingExit = undefined;
  container.restartCount++;
  container.containerId = `containerd://${hex64()}`;
  container.startedAt = now(k);
  container.ready = false;
  container.started = false;
  containerEvent(k, pod, name, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
  containerEvent(k, pod, name, 'Normal', 'Created', `Created container: ${name}`);
  containerEvent(k, pod, name, 'Normal', 'Started', `Started container ${name}`);
  const healthy = !crashesByFault(k.ctx.faults, pod);
  const stored = writeContainer(k, pod, rec, name, (c) => runningStatusOf(c, rec, healthy));
  startInRuntime(k, stored ?? pod, name);
  startProbes(k, stored ?? pod, rec, name, proberHooks);
  if (!healthy) scheduleFaultCrash(k, pod);
}

/** What the prober asks of the rest of the kubelet. */
export const proberHooks: ProberHooks = {
  livenessKilled(k, pod, container) {
    // SIGTERM to a process that does not handle it; containerd reports 128 + 9 once it is killed.
    k.ctx.runtime.stopContainer(pod, container);
    handleExit(k, pod, container, 137, 'Error');
  },
  readinessChanged(k, pod, rec, container) {
    const healthy = !crashesByFault(k.ctx.faults, pod);
    writeContainer(k, pod, rec, container, (c) => runningStatusOf(c, rec, healthy));
  },
};

/** coredns-down: CoreDNS exits shortly after each start, never ready in between, like a pod that cannot serve. */
export function scheduleFaultCrash(k: NodeKubelet, pod: KubeObj): void {
  const { ctx, state } = k;
  k.loop.timers.ensure(`crash:${pod.metadata.uid}`, Math.max(5, ctx.latencies.podStartMs), () => {
    const current = ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (!current || !crashesByFault(ctx.faults, current)) return;
    for (const c of containersOf(current)) {
      if (!state.pods.get(current.metadata.uid!)?.containers.get(c.name)?.running) continue;
      ctx.runtime.stopContainer(current, c.name);
      handleExit(k, current, c.name, 1, 'Error');
    }
  });
}

/** A lifted coredns-down restarts the crash-looping pod now, not after its back-off. */
export function restartNowIfWaiting(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  for (const [name, c] of rec.containers) {
    if (!c.running && k.loop.timers.has(restartTimer(rec, name))) {
      k.loop.timers.set(restartTimer(rec, name), 1, () => restart(k, keyOf(pod), name));
    }
  }
}

/** restartPolicy Never/OnFailure: the container stays terminated; the pod ends when all have. */
function finishContainer(k: NodeKubelet, pod: KubeObj, rec: PodRecord, name: string, terminated: Json): void {
  const container = rec.containers.get(name)!;
  const allDone = [...rec.containers.values()].every((c) => !c.running);
  const t = now(k);
  writeStatus(k, pod, (status) => {
    status.containerStatuses = (status.containerStatuses ?? []).map((s: Json) => {
      const spec = containersOf(pod).find((c) => c.name === s.name);
      return s.name === name && spec ? terminatedContainerStatus(spec, container, terminated) : s;
    });
    if (allDone) {
      const failed = status.containerStatuses.some((s: Json) => (s.state?.terminated?.exitCode ?? 0) !== 0);
      status.phase = failed ? 'Failed' : 'Succeeded';
      status.conditions = podConditions(
        status.conditions ?? [],
        { sandboxReady: false, notReady: [], completed: status.phase },
        t,
      );
    } else {
      status.conditions = podConditions(
        status.conditions ?? [],
        { sandboxReady: true, notReady: notReadyNames(k, pod, rec) },
        t,
      );
    }
  });
  if (allDone) {
    rec.stage = 'finished';
    releaseIp(k, pod, rec);
  }
}

/** After a kubelet restart or a lifted fault: exits that happened meanwhile, pods marked not ready. */
export function resumeRunning(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  const { faults } = k.ctx;
  if (crashesByFault(faults, pod) && [...rec.containers.values()].some((c) => c.running)) scheduleFaultCrash(k, pod);
  for (const [name, container] of rec.containers) {
    if (container.running) startProbes(k, pod, rec, name, proberHooks);
    if (container.pendingExit && !faults.has('kubelet-no-restart')) {
      const exit = container.pendingExit;
      container.pendingExit = undefined;
      container.running = true;
      handleExit(k, pod, name, exit.exitCode, exit.reason);
    } else if (!container.running && !container.pendingExit) {
      k.loop.timers.ensure(restartTimer(rec, name), container.nextBackoffMs || 1, () => restart(k, keyOf(pod), name));
    }
  }
  const ready = notReadyNames(k, pod, rec).length === 0;
  const postedReady = (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
  if (ready && !postedReady) {
    writeStatus(k, pod, (status) => {
      // A container held unready (coredns-down) passes its readiness probe once the fault is lifted.
      status.containerStatuses = (status.containerStatuses ?? []).map((s: Json) =>
        s.state?.running ? { ...s, ready: true } : s,
      );
      status.conditions = podConditions(status.conditions ?? [], { sandboxReady: true, notReady: [] }, now(k));
    });
  }
}

/** Cancels a container's pending restart (pod deleted or gone). */
export function cancelRestart(k: NodeKubelet, rec: PodRecord, name: string): void {
  k.loop.timers.cancel(restartTimer(rec, name));
  stopProbes(k, rec, name);
}
