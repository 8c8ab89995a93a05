/**
 * The cluster's own record of when things happened to the objects of a namespace: pods created,
 * Ready, unready, restarted, deleting and gone; addresses published ready in EndpointSlices;
 * the namespace created and gone. The benchmark computes an audit's critical path from it — what
 * the cluster made the audit wait for — rather than from kubeproof's own view of the run.
 * Opt-in (`timeline: true`), bounded, read through `timelineOf(namespace)`.
 */
import type { KubeObj, SimStore, WatchEvent } from './contracts.js';

export type TimelineKind =
  | 'namespace-created'
  | 'namespace-gone'
  | 'pod-created'
  | 'pod-ready'
  | 'pod-unready'
  | 'pod-restarted'
  | 'pod-deleting'
  | 'pod-gone'
  | 'endpoint-ready';

export interface TimelineEntry {
  /** Milliseconds since the epoch, as the sim's clock saw the write. */
  at: number;
  kind: TimelineKind;
  namespace: string;
  /** The pod (pod-*), the slice (endpoint-ready) or the namespace. */
  name: string;
  /** The pod's owner kind (`ReplicaSet`) or '' for a bare pod. */
  owner?: string;
  /** The pod's address (pod-ready) or the endpoint's (endpoint-ready). */
  ip?: string;
  /** Container restarts so far (pod-restarted). */
  restarts?: number;
}

export interface SimTimeline {
  timelineOf(namespace: string): TimelineEntry[];
  /** Resolves once the namespace is gone (or at once if it already is and was seen). */
  namespaceGone(namespace: string, timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/** Entries kept per namespace, and namespaces remembered: a bound for a long-running sim. */
const ENTRIES_PER_NAMESPACE = 2000;
const NAMESPACES_KEPT = 1000;

const isReady = (pod: KubeObj | undefined) =>
  (pod?.status?.conditions as Array<{ type: string; status: string }> | undefined)?.some(
    (c) => c.type === 'Ready' && c.status === 'True',
  ) === true;

const restartsOf = (pod: KubeObj | undefined) =>
  ((pod?.status?.containerStatuses as Array<{ restartCount?: number }> | undefined) ?? []).reduce(
    (sum, c) => sum + (c.restartCount ?? 0),
    0,
  );

const readyAddresses = (slice: KubeObj | undefined): string[] =>
  ((slice?.endpoints as Array<{ addresses?: string[]; conditions?: { ready?: boolean } }> | undefined) ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .flatMap((e) => e.addresses ?? []);

export function recordTimeline(store: SimStore, now: () => number = Date.now): SimTimeline {
  const byNamespace = new Map<string, TimelineEntry[]>();
  const podsSeen = new Map<string, KubeObj>();
  const slicesSeen = new Map<string, KubeObj>();
  const goneWaiters = new Map<string, Array<() => void>>();

  const add = (entry: Omit<TimelineEntry, 'at'>) => {
    let list = byNamespace.get(entry.namespace);
    if (!list) {
      if (byNamespace.size >= NAMESPACES_KEPT) byNamespace.delete(byNamespace.keys().next().value as string);
      list = [];
      byNamespace.set(entry.namespace, list);
    }
    if (list.length < ENTRIES_PER_NAMESPACE) list.push({ at: now(), ...entry });
  };

  const onPod = ({ type, object: pod }: WatchEvent) => {
    const namespace = pod.metadata.namespace ?? 'default';
    const key = `${namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    const before = podsSeen.get(key);
    const base = {
      namespace,
      name: pod.metadata.name,
      owner: (pod.metadata.ownerReferences as Array<{ kind: string }> | undefined)?.[0]?.kind ?? '',
    };
    if (type === 'DELETED') {
      podsSeen.delete(key);
      add({ ...base, kind: 'pod-gone' });
      return;
    }
    podsSeen.set(key, pod);
    if (!before) add({ ...base, kind: 'pod-created' });
    if (restartsOf(pod) > restartsOf(before)) add({ ...base, kind: 'pod-restarted', restarts: restartsOf(pod) });
    if (isReady(pod) && !isReady(before)) add({ ...base, kind: 'pod-ready', ip: pod.status?.podIP as string });
    if (!isReady(pod) && isReady(before)) add({ ...base, kind: 'pod-unready' });
    if (pod.metadata.deletionTimestamp && !before?.metadata.deletionTimestamp) add({ ...base, kind: 'pod-deleting' });
  };

  const onSlice = ({ type, object: slice }: WatchEvent) => {
    const namespace = slice.metadata.namespace ?? 'default';
    const key = `${namespace}/${slice.metadata.name}`;
    const before = new Set(readyAddresses(slicesSeen.get(key)));
    if (type === 'DELETED') {
      slicesSeen.delete(key);
      return;
    }
    slicesSeen.set(key, slice);
    for (const ip of readyAddresses(slice)) {
      if (!before.has(ip)) add({ namespace, name: slice.metadata.name, kind: 'endpoint-ready', ip });
    }
  };

  const onNamespace = ({ type, object: ns }: WatchEvent) => {
    const name = ns.metadata.name;
    if (type === 'ADDED') add({ namespace: name, name, kind: 'namespace-created' });
    if (type === 'DELETED') {
      add({ namespace: name, name, kind: 'namespace-gone' });
      for (const wake of goneWaiters.get(name) ?? []) wake();
      goneWaiters.delete(name);
    }
  };

  const stops = [
    store.watch('pods', undefined, onPod),
    store.watch('endpointslices', undefined, onSlice),
    store.watch('namespaces', undefined, onNamespace),
  ];

  return {
    timelineOf: (namespace) => [...(byNamespace.get(namespace) ?? [])],
    namespaceGone(namespace, timeoutMs) {
      const seenGone = byNamespace.get(namespace)?.some((e) => e.kind === 'namespace-gone');
      if (seenGone || (byNamespace.has(namespace) && !store.get('namespaces', undefined, namespace)))
        return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        const list = goneWaiters.get(namespace) ?? [];
        list.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
        goneWaiters.set(namespace, list);
      });
    },
    stop() {
      for (const stop of stops) stop();
    },
  };
}
