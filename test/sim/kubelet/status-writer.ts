/**
 * How the kubelet writes pod status: re-read the pod, change its status, write it back (the
 * status manager's patch), with the pod conditions derived from which containers are ready.
 */
import type { KubeObj } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';
import { crashesByFault } from './coredns-fault.js';
import { containerNames, containersOf, type NodeKubelet, now } from './node-kubelet.js';
import type { PodRecord } from './node-state.js';
import { podConditions, waitingContainerStatus } from './pod-status.js';
import { hasReadinessProbe, isStarted } from './prober.js';

/** Containers not running, or — a CoreDNS crashing by fault — running but never passing its readiness probe. */
export function notReadyNames(k: NodeKubelet, pod: KubeObj, rec: PodRecord): string[] {
  return containerNames(pod).filter((n) => {
    const c = rec.containers.get(n);
    if (!c?.running || crashesByFault(k.ctx.faults, pod)) return true;
    if (
      !isStarted(
        containersOf(pod).find((s) => s.name === n),
        c,
      )
    )
      return true;
    return hasReadinessProbe(pod, n) && c.ready !== true;
  });
}

/** Re-reads the pod, lets fn change its status, writes it; returns the stored pod. */
export function writeStatus(k: NodeKubelet, pod: KubeObj, fn: (status: Json) => void): KubeObj | undefined {
  const current = k.ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name);
  if (!current || current.metadata.uid !== pod.metadata.uid) return undefined;
  current.status = structuredClone(current.status ?? {});
  fn(current.status);
  return k.ctx.store.update('pods', current);
}

/** Replaces one container's status (built from its spec) and recomputes the pod conditions. */
export function writeContainer(
  k: NodeKubelet,
  pod: KubeObj,
  rec: PodRecord,
  name: string,
  build: (spec: Json) => Json,
): KubeObj | undefined {
  const t = now(k);
  return writeStatus(k, pod, (status) => {
    status.containerStatuses = containersOf(pod).map((spec) => {
      if (spec.name === name) return build(spec);
      return (
        (status.containerStatuses ?? []).find((s: Json) => s.name === spec.name) ??
        waitingContainerStatus(spec, 'ContainerCreating')
      );
    });
    status.conditions = podConditions(
      status.conditions ?? [],
      { sandboxReady: true, notReady: notReadyNames(k, pod, rec) },
      t,
    );
  });
}
