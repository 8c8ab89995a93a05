/**
 * A policy engine's generate rules (Kyverno `generate`, Gatekeeper mutation + a namespace
 * operator, or a platform team's controller): a copy of each template lands in every new
 * namespace outside the exempt ones, shortly after the namespace exists — how ResourceQuotas,
 * LimitRanges and default-deny NetworkPolicies usually reach namespaces nobody configured by
 * hand (kyverno.io/docs/writing-policies/generate: "generate rules … when a new Namespace is
 * created"). The admission plugins then enforce them (quota.ts, network/network-policy.ts).
 */
import type { KubeObj, ResourceName, SimStore } from '../contracts.js';

export interface GeneratedObject {
  resource: ResourceName;
  /** The object without a namespace; the engine sets it. */
  object: KubeObj;
}

const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/** Starts the engine; the returned function stops it. */
export function startGenerateEngine(
  store: SimStore,
  templates: readonly GeneratedObject[],
  exempt: readonly string[] = SYSTEM_NAMESPACES,
): () => void {
  return store.watch('namespaces', undefined, (event) => {
    const ns = event.object.metadata.name;
    if (event.type !== 'ADDED' || exempt.includes(ns)) return;
    // The engine reacts after the namespace exists, as a controller does.
    setImmediate(() => {
      const current = store.get('namespaces', undefined, ns);
      if (!current || current.metadata.deletionTimestamp) return;
      for (const { resource, object } of templates) {
        if (store.get(resource, ns, object.metadata.name)) continue;
        try {
          store.create(resource, { ...structuredClone(object), metadata: { ...object.metadata, namespace: ns } });
        } catch {
          // The namespace went away (or is terminating) meanwhile: nothing to put there.
        }
      }
    });
  });
}
