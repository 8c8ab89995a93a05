/**
 * A pod's way from bound to Running on its node: adopt (a pod already running when this kubelet
 * starts), begin (Pending, ContainerCreating), the sandbox (CNI), the image pulls, and the
 * containers' start.
 */
import type { KubeObj } from '../contracts.js';
import { hex64 } from '../controllers/kit/names.js';
import { type Json, keyOf, splitKey } from '../controllers/kit/objects.js';
import { crashesByFault } from './coredns-fault.js';
import { NETWORK_NOT_READY } from './heartbeat.js';
import { backOffPull, ensureImage, pullPending, pullPolicy, willPull } from './image-pulls.js';
import { normalizeImage } from './images.js';
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
import { podConditions, waitingContainerStatus } from './pod-status.js';
import { runningStatusOf, startProbes } from './prober.js';
import { proberHooks, scheduleFaultCrash } from './restarts.js';
import { notReadyNames, writeContainer, writeStatus } from './status-writer.js';

const startTimer = (rec: PodRecord) => `start:${rec.uid}`;
export const sandboxTimer = (rec: PodRecord) => `sandbox:${rec.uid}`;

/** A pod this kubelet has no record of: new, or already running (bootstrap, earlier process). */
export function adopt(k: NodeKubelet, pod: KubeObj): PodRecord {
  const rec: PodRecord = { uid: pod.metadata.uid!, stage: 'new', containers: new Map() };
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') rec.stage = 'finished';
  if (pod.status?.phase !== 'Running') return rec;
  rec.stage = 'running';
  if (pod.status.podIP && !isHostNetwork(pod)) {
    k.state.ips.reservePod((pod.status.podIPs ?? [{ ip: pod.status.podIP }]).map((p: { ip: string }) => p.ip));
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
      ready: Boolean(status.ready),
      started: Boolean(status.started),
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
  if (ctx.faults.has('cni-missing') && !isHostNetwork(pod)) {
    // The kubelet does not even try a sandbox while the runtime network is not ready.
    podEvent(k, pod, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`);
    loop.timers.set(sandboxTimer(rec), ctx.timings.sandboxRetryMs, () => loop.queue.add(keyOf(pod)));
    return;
  }
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
      .filter((c) => willPull(k, c))
      .map((c) => c.name),
  );
  for (const c of containersOf(pod)) {
    if (rec.pulling.has(c.name)) containerEvent(k, pod, c.name, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
  }
  waitForStart(k, pod, rec);
}

/** Arms the start of the pod's containers after the (simulated) pull and start latency. */
export function waitForStart(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  // A slow registry (profile slow-pulls) makes an image's first pull on this node take longer.
  const pull = (rec.pulling?.size ?? 0) > 0 ? k.ctx.firstPullMs?.(k.state.name) : undefined;
  rec.pullMs = pull?.reportedMs ?? 0;
  k.loop.timers.ensure(startTimer(rec), k.ctx.latencies.podStartMs + (pull?.waitMs ?? 0), () => run(k, keyOf(pod)));
}

/** A container's first instance: its record and the Created/Started events (the process starts after the status write). */
function createContainer(k: NodeKubelet, pod: KubeObj, rec: PodRecord, name: string, t: string): void {
  rec.containers.set(name, {
    containerId: `containerd://${hex64()}`,
    startedAt: t,
    restartCount: 0,
    running: true,
    nextBackoffMs: 0,
  });
  containerEvent(k, pod, name, 'Normal', 'Created', `Created container: ${name}`);
  containerEvent(k, pod, name, 'Normal', 'Started', `Started container ${name}`);
}

/** Running once every container has been created; Pending while an image is still missing. */
const phaseOf = (pod: KubeObj, rec: PodRecord) =>
  containersOf(pod).every((c) => rec.containers.has(c.name)) ? 'Running' : 'Pending';

/** The sandbox is up: each container whose image is there starts; the others wait for their pull. */
function run(k: NodeKubelet, key: string): void {
  const { ctx, state } = k;
  const { namespace, name } = splitKey(key);
  const pod = ctx.store.get('pods', namespace, name);
  const rec = pod && state.pods.get(pod.metadata.uid!);
  if (!pod || !rec || rec.stage !== 'starting' || pod.metadata.deletionTimestamp) return;
  rec.stage = 'running';
  rec.podIp = isHostNetwork(pod) ? state.hostIp : state.ips.allocate();
  const t = now(k);
  const waiting = new Map<string, Json>();
  for (const c of containersOf(pod)) {
    const image = ensureImage(k, pod, rec, c);
    if (image.ready) createContainer(k, pod, rec, c.name, t);
    else waiting.set(c.name, waitingContainerStatus(c, image.reason, undefined, image.message));
  }
  const healthy = !crashesByFault(ctx.faults, pod);
  const stored = writeStatus(k, pod, (status) => {
    status.phase = phaseOf(pod, rec);
    status.podIP = rec.podIp;
    // Dual-stack: one address per family, primary first.
    status.podIPs = isHostNetwork(pod) ? [{ ip: rec.podIp }] : state.ips.podIPs(rec.podIp!);
    status.hostIP = state.hostIp;
    status.hostIPs = [{ ip: state.hostIp }];
    status.startTime ??= t;
    status.containerStatuses = containersOf(pod).map((c) => waiting.get(c.name) ?? runningStatusOf(c, rec, healthy));
    status.conditions = podConditions(
      status.conditions ?? [],
      { sandboxReady: true, notReady: notReadyNames(k, pod, rec) },
      t,
    );
  });
  for (const c of containersOf(pod)) {
    if (!rec.containers.has(c.name)) {
      if (waiting.get(c.name)?.state?.waiting?.reason === 'ErrImagePull')
        backOffPull(k, pod, rec, c, (p) => pullAgain(k, p, c.name));
      continue;
    }
    startInRuntime(k, stored ?? pod, c.name);
    startProbes(k, stored ?? pod, rec, c.name, proberHooks);
  }
  if (!healthy) scheduleFaultCrash(k, pod);
}

/** A pull's back-off expired: pull again; start the container if it worked, back off longer if not. */
function pullAgain(k: NodeKubelet, pod: KubeObj, name: string): void {
  const rec = k.state.pods.get(pod.metadata.uid!);
  const spec = containersOf(pod).find((c) => c.name === name);
  if (!rec || !spec || rec.stage !== 'running' || rec.containers.has(name)) return;
  const image = ensureImage(k, pod, rec, spec);
  if (!image.ready) {
    writeContainer(k, pod, rec, name, (c) => waitingContainerStatus(c, image.reason, undefined, image.message));
    if (image.reason === 'ErrImagePull') backOffPull(k, pod, rec, spec, (p) => pullAgain(k, p, name));
    return;
  }
  const t = now(k);
  createContainer(k, pod, rec, name, t);
  const healthy = !crashesByFault(k.ctx.faults, pod);
  const stored = writeStatus(k, pod, (status) => {
    status.phase = phaseOf(pod, rec);
    status.containerStatuses = containersOf(pod).map((c) =>
      c.name === name
        ? runningStatusOf(c, rec, healthy)
        : ((status.containerStatuses ?? []).find((s: Json) => s.name === c.name) ?? runningStatusOf(c, rec, healthy)),
    );
    status.conditions = podConditions(
      status.conditions ?? [],
      { sandboxReady: true, notReady: notReadyNames(k, pod, rec) },
      t,
    );
  });
  startInRuntime(k, stored ?? pod, name);
  startProbes(k, stored ?? pod, rec, name, proberHooks);
}

/** After a kubelet restart: a container still waiting for its image pulls again. */
export function resumePulls(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  for (const c of containersOf(pod)) {
    if (rec.containers.has(c.name) || pullPending(k, rec, c.name)) continue;
    if (pullPolicy(c) === 'Never' && !k.state.images.has(normalizeImage(c.image))) continue;
    backOffPull(k, pod, rec, c, (p) => pullAgain(k, p, c.name));
  }
}

/** Timers of the start-up path, for termination to cancel. */
export const startupTimers = (rec: PodRecord): string[] => [startTimer(rec), sandboxTimer(rec)];
