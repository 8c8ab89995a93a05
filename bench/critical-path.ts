/**
 * The critical path of one audit, from the simulated cluster's own timeline (test/sim/timeline.ts):
 * the waits the cluster imposes that no audit can avoid or overlap.
 *
 * - initial rollout: every pod the audit needs at the start (web replicas, client, restart probe)
 *   starting in parallel — the slowest pod start — plus the endpoint propagation of the last web
 *   pod to become Ready (the Service checks need its address published);
 * - self-heal replacement and scale-up: each a new web pod start; they act on the same
 *   Deployment's replica count (a replacement during a scale-up cannot be told from the scale-up's
 *   own pod), so they run one after the other, after the rollout;
 * - kubelet restart: the time the kubelet took to restart the killed container and report it
 *   Ready again; it acts on another pod, so it may overlap self-heal and scale-up.
 *
 * critical path = rollout + max(self-heal + scale-up, restart). Namespace deletion is not on it:
 * a verdict needs none of it.
 */
import type { TimelineEntry } from '../test/sim/timeline.js';

export interface CriticalPath {
  criticalPathMs: number;
  parts: {
    /** Slowest pod start among the pods created first (created → Ready). */
    initialPodStartMs: number;
    /** Last initial web pod Ready → its address published ready. */
    endpointPropagationMs: number;
    /** Pod starts of the web pods created after the first rollout (replacement, scale-up), in order. */
    laterWebPodStartsMs: number[];
    /** Killed container → restarted and Ready (0 when no restart was seen). */
    restartMs: number;
  };
}

interface PodLife {
  name: string;
  owner: string;
  created?: number;
  ready?: number;
  ip?: string;
  unreadyAt?: number;
}

/**
 * @param webReplicas how many web pods the first rollout has (the audit's `replicas`)
 */
export function criticalPathOf(timeline: readonly TimelineEntry[], webReplicas: number): CriticalPath {
  const pods = new Map<string, PodLife>();
  const order: PodLife[] = [];
  let restartMs = 0;
  for (const e of timeline) {
    if (!e.kind.startsWith('pod-')) continue;
    let pod = pods.get(e.name);
    if (!pod || e.kind === 'pod-created') {
      pod = { name: e.name, owner: e.owner ?? '' };
      pods.set(e.name, pod);
      order.push(pod);
    }
    if (e.kind === 'pod-created') pod.created = e.at;
    // A restart: a pod that was Ready went unready (its process was killed), then Ready again.
    if (e.kind === 'pod-unready' && pod.ready !== undefined) pod.unreadyAt = e.at;
    if (e.kind === 'pod-ready' && pod.unreadyAt !== undefined) {
      restartMs = Math.max(restartMs, e.at - pod.unreadyAt);
      pod.unreadyAt = undefined;
    }
    if (e.kind === 'pod-ready' && pod.ready === undefined) {
      pod.ready = e.at;
      pod.ip = e.ip;
    }
  }
  const started = order.filter((p) => p.created !== undefined && p.ready !== undefined);
  const web = started.filter((p) => p.owner === 'ReplicaSet');
  const initialWeb = web.slice(0, webReplicas);
  const laterWeb = web.slice(webReplicas);
  const bare = started.filter((p) => p.owner === '');
  const startOf = (p: PodLife) => (p.ready ?? 0) - (p.created ?? 0);
  const initialPodStartMs = Math.max(0, ...[...initialWeb, ...bare].map(startOf));
  const lastWeb = initialWeb.reduce<PodLife | undefined>(
    (a, p) => (!a || (p.ready ?? 0) > (a.ready ?? 0) ? p : a),
    undefined,
  );
  const published = lastWeb?.ip
    ? timeline.find((e) => e.kind === 'endpoint-ready' && e.ip === lastWeb.ip && e.at >= (lastWeb.ready ?? 0))
    : undefined;
  const endpointPropagationMs = published && lastWeb?.ready !== undefined ? published.at - lastWeb.ready : 0;
  const laterWebPodStartsMs = laterWeb.map(startOf);
  const disruptive = Math.max(
    laterWebPodStartsMs.reduce((a, b) => a + b, 0),
    restartMs,
  );
  return {
    criticalPathMs: initialPodStartMs + endpointPropagationMs + disruptive,
    parts: { initialPodStartMs, endpointPropagationMs, laterWebPodStartsMs, restartMs },
  };
}
