/**
 * The kubelet of one node. Pods bound to the node go ContainerCreating → Running after
 * latencies.podStartMs, with an IP from the node's podCIDR; exited containers are restarted
 * per restartPolicy with crash-loop back-off; deleted pods are stopped and removed after a
 * (shortened) grace period. What containerd would keep across a kubelet restart (pod IPs,
 * pulled images, running containers) lives in NodeState, outside the kubelet process, so
 * `node-notready:<node>` can stop the process and bring it back.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from '../controllers/kit/context.js';
import { type LoopHandle as Loop, startLoop } from '../controllers/kit/loop.js';
import { hex64 } from '../controllers/kit/names.js';
import { type Json, keyOf, splitKey, timestamp } from '../controllers/kit/objects.js';
import { createHeartbeat } from './heartbeat.js';
import { goDuration, imageSizeOf, normalizeImage } from './images.js';
import type { PodIpAllocator } from './pod-ips.js';
import {
  type ContainerRecord,
  podConditions,
  runningContainerStatus,
  terminatedContainerStatus,
  waitingContainerStatus,
} from './pod-status.js';

type Stage = 'new' | 'sandbox' | 'starting' | 'running' | 'finished' | 'terminating';

interface PodRecord {
  uid: string;
  stage: Stage;
  podIp?: string;
  containers: Map<string, ContainerRecord>;
  /** Images this pod announced `Pulling` for: it reports `Successfully pulled` for them. */
  pulling?: Set<string>;
}

/** What survives a kubelet restart on a node (containerd's state). */
export interface NodeState {
  name: string;
  hostIp: string;
  ips: PodIpAllocator;
  images: Set<string>;
  pods: Map<string, PodRecord>;
  /** Last version of each pod seen on this node, to stop its containers once it is gone. */
  lastSeen: Map<string, KubeObj>;
}

export interface Kubelet {
  stop: Stop;
  containerExited(pod: KubeObj, container: string, exitCode: number, reason: string): void;
}

const crashingPodLabel = ['k8s-app', 'kube-dns'] as const;

export function startKubelet(ctx: ControllerContext, state: NodeState): Kubelet {
  const { store, faults } = ctx;
  const source = { component: 'kubelet', host: state.name };
  const now = () => timestamp(ctx.clock());
  let exitHandler: ((pod: KubeObj, container: string, exitCode: number, reason: string) => void) | undefined;

  const record = (event: Omit<Parameters<typeof ctx.events.record>[0], 'source'>) =>
    ctx.events.record({ ...event, source });
  const containerEvent = (pod: KubeObj, name: string, type: 'Normal' | 'Warning', reason: string, message: string) =>
    record({ object: pod, type, reason, message, fieldPath: `spec.containers{${name}}` });
  const isHostNetwork = (pod: KubeObj) => Boolean(pod.spec?.hostNetwork);
  const crashesByFault = (pod: KubeObj) =>
    faults.has('coredns-down') &&
    pod.metadata.namespace === 'kube-system' &&
    pod.metadata.labels?.[crashingPodLabel[0]] === crashingPodLabel[1];
  const containersOf = (pod: KubeObj): Json[] => pod.spec?.containers ?? [];

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
      const beat = createHeartbeat(ctx, state.name);
      beat();
      loop.timers.every('heartbeat', ctx.timings.nodeHeartbeatMs, beat);
      exitHandler = (pod, container, exitCode, reason) => handleExit(loop, pod, container, exitCode, reason);
      const unsubscribe = faults.onChange(() => onFaultsChanged(loop));
      return () => {
        unsubscribe();
        exitHandler = undefined;
      };
    },
    sync: (key, loop) => sync(loop, key),
  });

  function sync(loop: Loop, key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = store.get('pods', namespace, name);
    const last = state.lastSeen.get(key);
    if (!pod || pod.spec?.nodeName !== state.name) {
      if (last) podGone(loop, last);
      state.lastSeen.delete(key);
      return;
    }
    if (last && last.metadata.uid !== pod.metadata.uid) podGone(loop, last);
    let rec = state.pods.get(pod.metadata.uid!);
    if (!rec) {
      rec = adopt(pod);
      state.pods.set(rec.uid, rec);
    }
    if (pod.metadata.deletionTimestamp) {
      terminate(loop, pod, rec);
      return;
    }
    if (rec.stage === 'new') begin(loop, pod, rec);
    else if (rec.stage === 'sandbox') ensureSandbox(loop, pod, rec);
    else if (rec.stage === 'starting')
      loop.timers.ensure(`start:${rec.uid}`, ctx.latencies.podStartMs, () => run(loop, key));
    else if (rec.stage === 'running') resumeRunning(loop, pod, rec);
  }

  /** A pod this kubelet has no record of: new, or already running (bootstrap, earlier process). */
  function adopt(pod: KubeObj): PodRecord {
    const rec: PodRecord = { uid: pod.metadata.uid!, stage: 'new', containers: new Map() };
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') rec.stage = 'finished';
    if (pod.status?.phase !== 'Running') return rec;
    rec.stage = 'running';
    if (pod.status.podIP && !isHostNetwork(pod)) {
      state.ips.reserve(pod.status.podIP);
      rec.podIp = pod.status.podIP;
    }
    for (const status of pod.status.containerStatuses ?? []) {
      const running = Boolean(status.state?.running);
      rec.containers.set(status.name, {
        containerId: status.containerID ?? `containerd://${hex64()}`,
        startedAt: status.state?.running?.startedAt ?? now(),
        restartCount: status.restartCount ?? 0,
        running,
        lastTerminated: status.lastState?.terminated,
        nextBackoffMs: 0,
      });
      if (running) startInRuntime(pod, status.name);
    }
    return rec;
  }

  function begin(loop: Loop, pod: KubeObj, rec: PodRecord): void {
    rec.stage = 'sandbox';
    const t = now();
    writeStatus(pod, (status) => {
      status.phase = 'Pending';
      status.conditions = podConditions(status.conditions ?? [], { sandboxReady: false, notReady: names(pod) }, t);
      status.hostIP = state.hostIp;
      status.hostIPs = [{ ip: state.hostIp }];
      status.startTime ??= t;
      status.containerStatuses = containersOf(pod).map((c) => waitingContainerStatus(c, 'ContainerCreating'));
    });
    ensureSandbox(loop, pod, rec);
  }

  function ensureSandbox(loop: Loop, pod: KubeObj, rec: PodRecord): void {
    const timerKey = `sandbox:${rec.uid}`;
    if (loop.timers.has(timerKey)) return;
    if (faults.has('cni-down') && !isHostNetwork(pod)) {
      record({
        object: pod,
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${hex64()}": plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${state.ips.firstUsable()}-${state.ips.lastUsable()}`,
      });
      record({
        object: pod,
        type: 'Normal',
        reason: 'SandboxChanged',
        message: 'Pod sandbox changed, it will be killed and re-created.',
      });
      loop.timers.set(timerKey, ctx.timings.sandboxRetryMs, () => loop.queue.add(keyOf(pod)));
      return;
    }
    rec.stage = 'starting';
    rec.pulling = new Set(
      containersOf(pod)
        .filter(needsPull)
        .map((c) => c.name),
    );
    for (const c of containersOf(pod)) {
      if (rec.pulling.has(c.name)) containerEvent(pod, c.name, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    }
    loop.timers.ensure(`start:${rec.uid}`, ctx.latencies.podStartMs, () => run(loop, keyOf(pod)));
  }

  function needsPull(container: Json): boolean {
    return container.imagePullPolicy === 'Always' || !state.images.has(normalizeImage(container.image));
  }

  /** The sandbox is up and the images are there: every container starts. */
  function run(loop: Loop, key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = store.get('pods', namespace, name);
    const rec = pod && state.pods.get(pod.metadata.uid!);
    if (!pod || !rec || rec.stage !== 'starting' || pod.metadata.deletionTimestamp) return;
    rec.stage = 'running';
    rec.podIp = isHostNetwork(pod) ? state.hostIp : state.ips.allocate();
    const t = now();
    for (const c of containersOf(pod)) {
      if (rec.pulling?.has(c.name) || needsPull(c)) {
        const took = goDuration(ctx.latencies.podStartMs);
        containerEvent(
          pod,
          c.name,
          'Normal',
          'Pulled',
          `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${imageSizeOf(c.image)} bytes.`,
        );
        state.images.add(normalizeImage(c.image));
      } else {
        containerEvent(pod, c.name, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      }
      rec.containers.set(c.name, {
        containerId: `containerd://${hex64()}`,
        startedAt: t,
        restartCount: 0,
        running: true,
        nextBackoffMs: 0,
      });
      containerEvent(pod, c.name, 'Normal', 'Created', `Created container: ${c.name}`);
      containerEvent(pod, c.name, 'Normal', 'Started', `Started container ${c.name}`);
    }
    const stored = writeStatus(pod, (status) => {
      status.phase = 'Running';
      status.podIP = rec.podIp;
      status.podIPs = [{ ip: rec.podIp }];
      status.hostIP = state.hostIp;
      status.hostIPs = [{ ip: state.hostIp }];
      status.startTime ??= t;
      status.containerStatuses = containersOf(pod).map((c) =>
        runningContainerStatus(c, rec.containers.get(c.name)!, !crashesByFault(pod)),
      );
      status.conditions = podConditions(
        status.conditions ?? [],
        { sandboxReady: true, notReady: notReadyNames(pod, rec) },
        t,
      );
    });
    for (const c of containersOf(pod)) startInRuntime(stored ?? pod, c.name);
    if (crashesByFault(pod)) scheduleFaultCrash(loop, pod);
  }

  /** coredns-down: CoreDNS exits shortly after each start, never ready in between, like a pod that cannot serve. */
  function scheduleFaultCrash(loop: Loop, pod: KubeObj): void {
    loop.timers.ensure(`crash:${pod.metadata.uid}`, Math.max(5, ctx.latencies.podStartMs), () => {
      const current = store.get('pods', pod.metadata.namespace, pod.metadata.name);
      if (!current || !crashesByFault(current)) return;
      for (const c of containersOf(current)) {
        if (!state.pods.get(current.metadata.uid!)?.containers.get(c.name)?.running) continue;
        ctx.runtime.stopContainer(current, c.name);
        handleExit(loop, current, c.name, 1, 'Error');
      }
    });
  }

  function handleExit(loop: Loop, pod: KubeObj, name: string, exitCode: number, reason: string): void {
    const rec = state.pods.get(pod.metadata.uid!);
    const container = rec?.containers.get(name);
    if (!rec || !container?.running || rec.stage !== 'running') return;
    container.running = false;
    const t = now();
    const terminated = {
      exitCode,
      reason,
      startedAt: container.startedAt,
      finishedAt: t,
      containerID: container.containerId,
    };
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const restarts = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!restarts) {
      finishContainer(pod, rec, name, terminated);
      return;
    }
    if (faults.has('kubelet-no-restart')) {
      container.pendingExit = { exitCode, reason };
      writeContainer(pod, rec, name, (c) => terminatedContainerStatus(c, container, terminated));
      return;
    }
    const ranFor = Date.parse(t) - Date.parse(container.startedAt);
    if (ranFor >= ctx.timings.backoffResetMs) container.nextBackoffMs = 0;
    container.lastTerminated = terminated;
    if (container.nextBackoffMs === 0) {
      // The first exit restarts at once; the back-off only starts with the next one.
      container.nextBackoffMs = ctx.timings.backoffBaseMs;
      writeContainer(pod, rec, name, (c) =>
        terminatedContainerStatus(c, { ...container, lastTerminated: undefined }, terminated),
      );
      loop.timers.set(`restart:${rec.uid}:${name}`, 1, () => restart(loop, keyOf(pod), name));
      return;
    }
    const backoff = container.nextBackoffMs;
    container.nextBackoffMs = Math.min(backoff * 2, ctx.timings.backoffMaxMs);
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    writeContainer(pod, rec, name, (c) =>
      waitingContainerStatus(
        c,
        'CrashLoopBackOff',
        container,
        `back-off ${goDuration(backoff)} restarting failed container=${name} pod=${podRef}`,
      ),
    );
    containerEvent(pod, name, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podRef}`);
    loop.timers.set(`restart:${rec.uid}:${name}`, backoff, () => restart(loop, keyOf(pod), name));
  }

  function restart(loop: Loop, key: string, name: string): void {
    const { namespace, name: podName } = splitKey(key);
    const pod = store.get('pods', namespace, podName);
    const rec = pod && state.pods.get(pod.metadata.uid!);
    const container = rec?.containers.get(name);
    const spec = pod && containersOf(pod).find((c) => c.name === name);
    if (!pod || !rec || !container || !spec || container.running || pod.metadata.deletionTimestamp) return;
    container.running = true;
    container.pendingExit = undefined;
    container.restartCount++;
    container.containerId = `containerd://${hex64()}`;
    container.startedAt = now();
    containerEvent(pod, name, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
    containerEvent(pod, name, 'Normal', 'Created', `Created container: ${name}`);
    containerEvent(pod, name, 'Normal', 'Started', `Started container ${name}`);
    const stored = writeContainer(pod, rec, name, (c) => runningContainerStatus(c, container, !crashesByFault(pod)));
    startInRuntime(stored ?? pod, name);
    if (crashesByFault(pod)) scheduleFaultCrash(loop, pod);
  }

  /** restartPolicy Never/OnFailure: the container stays terminated; the pod ends when all have. */
  function finishContainer(pod: KubeObj, rec: PodRecord, name: string, terminated: Json): void {
    const container = rec.containers.get(name)!;
    const allDone = [...rec.containers.values()].every((c) => !c.running);
    const t = now();
    writeStatus(pod, (status) => {
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
          { sandboxReady: true, notReady: notReadyNames(pod, rec) },
          t,
        );
      }
    });
    if (allDone) {
      rec.stage = 'finished';
      releaseIp(pod, rec);
    }
  }

  /** After a kubelet restart or a lifted fault: exits that happened meanwhile, pods marked not ready. */
  function resumeRunning(loop: Loop, pod: KubeObj, rec: PodRecord): void {
    if (crashesByFault(pod) && [...rec.containers.values()].some((c) => c.running)) scheduleFaultCrash(loop, pod);
    for (const [name, container] of rec.containers) {
      if (container.pendingExit && !faults.has('kubelet-no-restart')) {
        const exit = container.pendingExit;
        container.pendingExit = undefined;
        container.running = true;
        handleExit(loop, pod, name, exit.exitCode, exit.reason);
      } else if (!container.running && !container.pendingExit) {
        loop.timers.ensure(`restart:${rec.uid}:${name}`, container.nextBackoffMs || 1, () =>
          restart(loop, keyOf(pod), name),
        );
      }
    }
    const ready = notReadyNames(pod, rec).length === 0;
    const postedReady = (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
    if (ready && !postedReady) {
      writeStatus(pod, (status) => {
        // A container held unready (coredns-down) passes its readiness probe once the fault is lifted.
        status.containerStatuses = (status.containerStatuses ?? []).map((s: Json) =>
          s.state?.running ? { ...s, ready: true } : s,
        );
        status.conditions = podConditions(status.conditions ?? [], { sandboxReady: true, notReady: [] }, now());
      });
    }
  }

  function terminate(loop: Loop, pod: KubeObj, rec: PodRecord): void {
    if (rec.stage !== 'terminating') {
      rec.stage = 'terminating';
      loop.timers.cancel(`start:${rec.uid}`);
      loop.timers.cancel(`sandbox:${rec.uid}`);
      for (const [name, container] of rec.containers) {
        loop.timers.cancel(`restart:${rec.uid}:${name}`);
        if (!container.running) continue;
        containerEvent(pod, name, 'Normal', 'Killing', `Stopping container ${name}`);
        container.running = false;
        ctx.runtime.stopContainer(pod, name);
      }
    }
    const graceMs = Math.min((pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000, ctx.timings.podDeletionGraceMs);
    loop.timers.ensure(`delete:${rec.uid}`, graceMs, () => {
      const current = store.get('pods', pod.metadata.namespace, pod.metadata.name);
      if (current?.metadata.uid !== rec.uid) return;
      store.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
    });
  }

  /** The pod is gone from the API: stop what still runs and forget it. */
  function podGone(loop: Loop, pod: KubeObj): void {
    const rec = state.pods.get(pod.metadata.uid!);
    if (!rec) return;
    for (const [name, container] of rec.containers) {
      loop.timers.cancel(`restart:${rec.uid}:${name}`);
      if (container.running) ctx.runtime.stopContainer(pod, name);
    }
    for (const prefix of ['start', 'sandbox', 'delete', 'crash']) loop.timers.cancel(`${prefix}:${rec.uid}`);
    releaseIp(pod, rec);
    state.pods.delete(rec.uid);
  }

  function releaseIp(pod: KubeObj, rec: PodRecord): void {
    if (rec.podIp && !isHostNetwork(pod)) state.ips.release(rec.podIp);
    rec.podIp = undefined;
  }

  function onFaultsChanged(loop: Loop): void {
    for (const pod of store.list('pods').filter((p) => p.spec?.nodeName === state.name)) {
      const rec = state.pods.get(pod.metadata.uid!);
      if (rec?.stage === 'running' && crashesByFault(pod)) scheduleFaultCrash(loop, pod);
      // A lifted coredns-down restarts the crash-looping pod now, not after its back-off.
      if (rec?.stage === 'running' && !crashesByFault(pod) && isCrashPod(pod)) {
        for (const [name, c] of rec.containers) {
          if (!c.running && loop.timers.has(`restart:${rec.uid}:${name}`)) {
            loop.timers.set(`restart:${rec.uid}:${name}`, 1, () => restart(loop, keyOf(pod), name));
          }
        }
      }
      if (rec?.stage === 'sandbox' && !faults.has('cni-down')) loop.timers.cancel(`sandbox:${rec.uid}`);
      loop.queue.add(keyOf(pod));
    }
  }

  function isCrashPod(pod: KubeObj): boolean {
    return (
      pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.[crashingPodLabel[0]] === crashingPodLabel[1]
    );
  }

  function startInRuntime(pod: KubeObj, name: string): void {
    try {
      ctx.runtime.startContainer(pod, name);
    } catch (err) {
      if (process.env.SIM_DEBUG) console.warn(`[kubelet ${state.name}] startContainer ${keyOf(pod)}/${name}:`, err);
    }
  }

  function names(pod: KubeObj): string[] {
    return containersOf(pod).map((c) => c.name);
  }

  /** Containers not running, or — a CoreDNS crashing by fault — running but never passing its readiness probe. */
  function notReadyNames(pod: KubeObj, rec: PodRecord): string[] {
    return names(pod).filter((n) => !rec.containers.get(n)?.running || crashesByFault(pod));
  }

  /** Re-reads the pod, lets fn change its status, writes it; returns the stored pod. */
  function writeStatus(pod: KubeObj, fn: (status: Json) => void): KubeObj | undefined {
    const current = store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return undefined;
    current.status = structuredClone(current.status ?? {});
    fn(current.status);
    return store.update('pods', current);
  }

  function writeContainer(
    pod: KubeObj,
    rec: PodRecord,
    name: string,
    build: (spec: Json) => Json,
  ): KubeObj | undefined {
    const t = now();
    return writeStatus(pod, (status) => {
      status.containerStatuses = containersOf(pod).map((spec) => {
        if (spec.name === name) return build(spec);
        return (
          (status.containerStatuses ?? []).find((s: Json) => s.name === spec.name) ??
          waitingContainerStatus(spec, 'ContainerCreating')
        );
      });
      status.conditions = podConditions(
        status.conditions ?? [],
        { sandboxReady: true, notReady: notReadyNames(pod, rec) },
        t,
      );
    });
  }

  return {
    stop,
    containerExited(pod, container, exitCode, reason) {
      exitHandler?.(pod, container, exitCode, reason);
    },
  };
}
