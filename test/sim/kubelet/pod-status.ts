/** The pod and container status shapes the kubelet posts, in the real field order. */
import type { Json } from '../controllers/kit/objects.js';
import { setCondition } from '../controllers/kit/objects.js';
import { imageIdOf, normalizeImage } from './images.js';

export interface ContainerRecord {
  containerId: string;
  startedAt: string;
  restartCount: number;
  running: boolean;
  /** lastState.terminated of the previous instance, once the container has exited. */
  lastTerminated?: Json;
  /** Back-off before the next restart; 0 until the container has exited once. */
  nextBackoffMs: number;
  /** The readiness probe's verdict for this instance (only read when the container has one). */
  ready?: boolean;
  /** The startup probe has passed for this instance (only read when the container has one). */
  started?: boolean;
  /** Exited while the kubelet could not act (down, or restarts disabled): handle on resync. */
  pendingExit?: { exitCode: number; reason: string };
}

export function waitingContainerStatus(
  container: Json,
  reason: string,
  record?: ContainerRecord,
  message?: string,
): Json {
  const state: Json = { waiting: message ? { reason, message } : { reason } };
  return {
    ...(record?.lastTerminated ? { containerID: record.containerId } : {}),
    image: normalizeImage(container.image),
    imageID: record ? imageIdOf(container.image) : '',
    lastState: record?.lastTerminated ? { terminated: record.lastTerminated } : {},
    name: container.name,
    ready: false,
    restartCount: record?.restartCount ?? 0,
    started: false,
    state,
  };
}

/** `ready` false: running, but its readiness probe has not passed (yet); `started` false: its startup probe has not. */
export function runningContainerStatus(container: Json, record: ContainerRecord, ready = true, started = true): Json {
  return {
    containerID: record.containerId,
    image: normalizeImage(container.image),
    imageID: imageIdOf(container.image),
    lastState: record.lastTerminated ? { terminated: record.lastTerminated } : {},
    name: container.name,
    ready,
    restartCount: record.restartCount,
    started,
    state: { running: { startedAt: record.startedAt } },
  };
}

export function terminatedContainerStatus(container: Json, record: ContainerRecord, terminated: Json): Json {
  return {
    containerID: record.containerId,
    image: normalizeImage(container.image),
    imageID: imageIdOf(container.image),
    lastState: record.lastTerminated ? { terminated: record.lastTerminated } : {},
    name: container.name,
    ready: false,
    restartCount: record.restartCount,
    started: false,
    state: { terminated },
  };
}

export interface PodConditionInput {
  sandboxReady: boolean;
  /** Names of containers not ready, in spec order. */
  notReady: string[];
  /** Set once the pod has finished. */
  completed?: 'Succeeded' | 'Failed';
}

/** PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled — the kubelet's order. */
export function podConditions(previous: Json[], input: PodConditionInput, now: string): Json[] {
  const notReadyMessage = `containers with unready status: [${input.notReady.join(' ')}]`;
  const readiness = (type: string): Json => {
    if (input.completed) return { type, status: 'False', lastProbeTime: null, reason: 'PodCompleted' };
    if (input.notReady.length > 0)
      return { type, status: 'False', lastProbeTime: null, reason: 'ContainersNotReady', message: notReadyMessage };
    return { type, status: 'True', lastProbeTime: null };
  };
  const wanted: Json[] = [
    {
      type: 'PodReadyToStartContainers',
      status: input.sandboxReady && !input.completed ? 'True' : 'False',
      lastProbeTime: null,
    },
    { type: 'Initialized', status: 'True', lastProbeTime: null },
    readiness('Ready'),
    readiness('ContainersReady'),
    { type: 'PodScheduled', status: 'True', lastProbeTime: null },
  ];
  let conditions = previous;
  for (const c of wanted) conditions = setCondition(conditions, c, now);
  const order = wanted.map((c) => c.type);
  return order.map((type) => conditions.find((c) => c.type === type)!);
}
