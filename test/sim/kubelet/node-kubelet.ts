/**
 * What every part of one node's kubelet shares: the controller context, the node's state, the
 * running loop (timers, queue) and the small helpers every part needs (events, clock, the
 * runtime). The parts (pod-startup, restarts, termination, status-writer) take it as `k`.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext } from '../controllers/kit/context.js';
import type { LoopHandle } from '../controllers/kit/loop.js';
import { type Json, keyOf, timestamp } from '../controllers/kit/objects.js';
import type { NodeState, PodRecord } from './node-state.js';

export interface NodeKubelet {
  ctx: ControllerContext;
  state: NodeState;
  /** Set when the loop starts, before any pod is synced. */
  loop: LoopHandle;
}

export const now = (k: NodeKubelet): string => timestamp(k.ctx.clock());

export const containersOf = (pod: KubeObj): Json[] => pod.spec?.containers ?? [];

export const containerNames = (pod: KubeObj): string[] => containersOf(pod).map((c) => c.name);

export const isHostNetwork = (pod: KubeObj): boolean => Boolean(pod.spec?.hostNetwork);

/** A pod-level event from this node's kubelet (`source: {component: kubelet, host: <node>}`). */
export function podEvent(
  k: NodeKubelet,
  pod: KubeObj,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  k.ctx.events.record({ object: pod, type, reason, message, source: { component: 'kubelet', host: k.state.name } });
}

/** A container event, with the `spec.containers{name}` field path the kubelet sets. */
export function containerEvent(
  k: NodeKubelet,
  pod: KubeObj,
  name: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): void {
  k.ctx.events.record({
    object: pod,
    type,
    reason,
    message,
    fieldPath: `spec.containers{${name}}`,
    source: { component: 'kubelet', host: k.state.name },
  });
}

/** Hands the container to the runtime; a runtime that cannot start it is logged, not fatal. */
export function startInRuntime(k: NodeKubelet, pod: KubeObj, name: string): void {
  try {
    k.ctx.runtime.startContainer(pod, name);
  } catch (err) {
    if (process.env.SIM_DEBUG) console.warn(`[kubelet ${k.state.name}] startContainer ${keyOf(pod)}/${name}:`, err);
  }
}

/** Releases the pod's IP back to the node's IPAM (host-network pods hold none). */
export function releaseIp(k: NodeKubelet, pod: KubeObj, rec: PodRecord): void {
  if (rec.podIp && !isHostNetwork(pod)) k.state.ips.release(rec.podIp);
  rec.podIp = undefined;
}
