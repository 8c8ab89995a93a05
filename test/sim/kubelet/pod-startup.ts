/**
 * A pod's way from bound to Running on its node: adopt (a pod already running when this kubelet
 * starts), begin (Pending, ContainerCreating), the sandbox (CNI), the image pulls, and the
 * containers' start.
 */
import type { KubeObj } from '../contracts.js';
import { hex64 } from '../controllers/kit/names.js';
import { type Json, keyOf, splitKey } from '../controllers/kit/objects.js';
import { crashesByFault } from './coredns-fault.js';
import { goDuration, imageSizeOf, normalizeImage } from './images.js';
import {
  containerEvent,
  containerNames,
  containersOf,
  isHostNetwork,
  type NodeKubelet,
  now,
  podEvent,
  startInRuntime,
} from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { podConditions, runningContainerStatus, waitingContainerStatus } from './pod-status.js';
import { scheduleFaultCrash } from './restarts.js';
import { notReadyNames, writeStatus } from './status-writer.js';

const startTimer = (rec: PodRecord) => `start:${rec.uid}`;
export const sandboxTimer = (rec: PodRecord) => `sandbox:${rec.uid}`;

/** A pod this kubelet has no record of: new, or already running (bootstrap, earlier process). */
export function adopt(k: NodeKubelet, pod: KubeObj): PodRecord {
  const rec: PodRecord = { uid: pod.metadata.uid!, stage: 'new', containers: new Map() };
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') rec.stage = 'finished';
  if (pod.status?.phase !== 'Running') return rec;
  rec.stage = 'running';
  if (pod.status.podIP && !isHostNetwork(pod)) {
    k.state.ips.reserve(pod.status.podIP);
    rec.podIp = pod.status.podIP;
  }
  for (const status of pod.status.containerStatuses ?? []) {
    const running = Boolean(status.state?.running);
    rec.containers.set(status.name, {
      containerId: status.containerID ?? `containerd://${hex64()}`,
      startedAt: status.state?.running?.startedAt ?? now(k),
      restartCount: status.restartCount ?? 0,
      running,
      lastTerminated: status.lastState?.terminated,
      nextBackoffMs: 0,
    });
    if (running) startInRuntime(k, pod, status.name);
  }
  return rec;
}

/** The pod is accepted: Pending, every container waiting in ContainerCreating. */
export function begin(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  rec.stage = 'sandbox';
  const t = now(k);
  writeStatus(k, pod, (status) => {
    status.phase = 'Pending';
    status.conditions = podConditions(
      status.conditions ?? [],
      { sandboxReady: false, notReady: containerNames(pod) },
      t,
    );
    status.hostIP = k.state.hostIp;
    status.hostIPs = [{ ip: k.state.hostIp }];
    status.startTime ??= t;
    status.containerStatuses = containersOf(pod).map((c) => waitingContainerStatus(c, 'ContainerCreating'));
  });
  ensureSandbox(k, pod, rec);
}

/** The sandbox needs the CNI plugin (cni-down: it fails and is retried); then the images are pulled. */
export function ensureSandbox(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  const { ctx, state, loop } = k;
  if (loop.timers.has(sandboxTimer(rec))) return;
  if (ctx.faults.has('cni-down') && !isHostNetwork(pod)) {
    podEvent(
      k,
      pod,
      'Warning',
      'FailedCreatePodSandBox',
      `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${hex64()}": plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${state.ips.firstUsable()}-${state.ips.lastUsable()}`,
    );
    podEvent(k, pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    loop.timers.set(sandboxTimer(rec), ctx.timings.sandboxRetryMs, () => loop.queue.add(keyOf(pod)));
    return;
  }
  rec.stage = 'starting';
  rec.pulling = new Set(
    containersOf(pod)
      .filter((c) => needsPull(k, c))
      .map((c) => c.name),
  );
  for (const c of containersOf(pod)) {
    if (rec.pulling.has(c.name)) containerEvent(k, pod, c.name, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
  }
  waitForStart(k, pod, rec);
}

/** Arms the start of the pod's containers after the (simulated) pull and start latency. */
export function waitForStart(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  k.loop.timers.ensure(startTimer(rec), k.ctx.latencies.podStartMs, () => run(k, keyOf(pod)));
}

function needsPull(k: NodeKubelet, container: Json): boolean {
  return container.imagePullPolicy === 'Always' || !k.state.images.has(normalizeImage(container.image));
}

/** The sandbox is up and the images are there: every container starts. */
function run(k: NodeKubelet, key: string): void {
  const { ctx, state } = k;
  const { namespace, name } = splitKey(key);
  const pod = ctx.store.get('pods', namespace, name);
  const rec = pod && state.pods.get(pod.metadata.uid!);
  if (!pod || !rec || rec.stage !== 'starting' || pod.metadata.deletionTimestamp) return;
  rec.stage = 'running';
  rec.podIp = isHostNetwork(pod) ? state.hostIp : state.ips.allocate();
  const t = now(k);
  for (const c of containersOf(pod)) {
    if (rec.pulling?.has(c.name) || needsPull(k, c)) {
      const took = goDuration(ctx.latencies.podStartMs);
      containerEvent(
        k,
        pod,
        c.name,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${imageSizeOf(c.image)} bytes.`,
      );
      state.images.add(normalizeImage(c.image));
    } else {
      containerEvent(k, pod, c.name, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    }
    rec.containers.set(c.name, {
      containerId: `containerd://${hex64()}`,
      startedAt: t,
      restartCount: 0,
      running: true,
      nextBackoffMs: 0,
    });
    containerEvent(k, pod, c.name, 'Normal', 'Created', `Created container: ${c.name}`);
    containerEvent(k, pod, c.name, 'Normal', 'Started', `Started container ${c.name}`);
  }
  const healthy = !crashesByFault(ctx.faults, pod);
  const stored = writeStatus(k, pod, (status) => {
    status.phase = 'Running';
    status.podIP = rec.podIp;
    status.podIPs = [{ ip: rec.podIp }];
    status.hostIP = state.hostIp;
    status.hostIPs = [{ ip: state.hostIp }];
    status.startTime ??= t;
    status.containerStatuses = containersOf(pod).map((c) =>
      runningContainerStatus(c, rec.containers.get(c.name)!, healthy),
    );
    status.conditions = podConditions(
      status.conditions ?? [],
      { sandboxReady: true, notReady: notReadyNames(k, pod, rec) },
      t,
    );
  });
  for (const c of containersOf(pod)) startInRuntime(k, stored ?? pod, c.name);
  if (!healthy) scheduleFaultCrash(k, pod);
}

/** Timers of the start-up path, for termination to cancel. */
export const startupTimers = (rec: PodRecord): string[] => [startTimer(rec), sandboxTimer(rec)];
