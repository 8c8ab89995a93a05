/**
 * Small readers and writers of API objects shared by the controllers and kubelets: keys,
 * ownership, pod state, conditions. Objects are plain JSON as on the wire.
 */
import type { KubeObj, SimStore } from '../../contracts.js';
import { labelSelectorObjectMatcher } from '../../store/index.js';

// biome-ignore lint/suspicious/noExplicitAny: API objects are open-ended JSON, as on the wire
export type Json = any;

export function keyOf(obj: KubeObj): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function controllerOf(obj: KubeObj): { kind: string; name: string; uid: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function isControlledBy(obj: KubeObj, owner: KubeObj): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

export function ownerReferenceTo(owner: KubeObj): NonNullable<KubeObj['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function selectorMatches(selector: Json, obj: KubeObj): boolean {
  if (!selector) return false;
  return labelSelectorObjectMatcher(selector)(obj);
}

/** A Service's plain `selector` map. */
export function mapSelectorMatches(selector: Record<string, string>, obj: KubeObj): boolean {
  const labels = obj.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function isTerminating(obj: KubeObj): boolean {
  return Boolean(obj.metadata.deletionTimestamp);
}

export function isPodTerminal(pod: KubeObj): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Counts toward a ReplicaSet's replicas: neither finished nor being deleted. */
export function isPodActive(pod: KubeObj): boolean {
  return !isTerminating(pod) && !isPodTerminal(pod);
}

export function conditionOf(obj: KubeObj, type: string): Json | undefined {
  return (obj.status?.conditions ?? []).find((c: Json) => c.type === type);
}

export function isPodReady(pod: KubeObj): boolean {
  return conditionOf(pod, 'Ready')?.status === 'True';
}

export function isNodeReady(node: KubeObj): boolean {
  return conditionOf(node, 'Ready')?.status === 'True';
}

/**
 * Sets a condition, keeping lastTransitionTime when the status does not change, as the
 * real controllers do.
 */
export function setCondition(conditions: Json[], next: Json, now: string): Json[] {
  const previous = conditions.find((c) => c.type === next.type);
  const transition = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  const merged = { ...next, lastTransitionTime: transition };
  return previous ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

/** RFC 3339 with seconds, as metav1.Time serialises. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises (Lease renewTime, eventTime). */
export function microTimestamp(now: Date): string {
  return now.toISOString().replace(/Z$/, '000Z');
}

export function namespaceIsGoneOrTerminating(store: SimStore, namespace: string): boolean {
  const ns = store.get('namespaces', undefined, namespace);
  return !ns || isTerminating(ns) || ns.status?.phase === 'Terminating';
}

/**
 * Re-reads the object, lets fn change a copy, and writes it when something changed.
 * Returns the stored object, or undefined when it is gone.
 */
export function mutate(
  store: SimStore,
  resource: string,
  namespace: string | undefined,
  name: string,
  fn: (obj: KubeObj) => void,
): KubeObj | undefined {
  const current = store.get(resource, namespace, name);
  if (!current) return undefined;
  const next = structuredClone(current);
  fn(next);
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  return store.update(resource, next);
}

/** Deletes, ignoring an object that is already gone. */
export function deleteIfPresent(
  store: SimStore,
  resource: string,
  namespace: string | undefined,
  name: string,
  options?: { gracePeriodSeconds?: number },
): void {
  if (!store.get(resource, namespace, name)) return;
  try {
    store.delete(resource, namespace, name, options);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

/** Whether a pod's tolerations cover a taint (key/operator/value/effect as the scheduler matches them). */
export function tolerates(pod: KubeObj, taint: { key: string; value?: string; effect: string }): boolean {
  return (pod.spec?.tolerations ?? []).some((t: Json) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    if (t.operator === 'Exists') return true;
    return (t.value ?? '') === (taint.value ?? '');
  });
}
