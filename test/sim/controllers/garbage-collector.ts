/**
 * Garbage collector (background cascading deletion): an object whose owners are all gone
 * is deleted. Reacts to owners' DELETED events and, when it (re)starts, sweeps for
 * dependents orphaned while it was down.
 */
import type { KubeObj } from '../contracts.js';
import { resourceDefs } from '../store/index.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { deleteIfPresent, isTerminating, keyOf, splitKey } from './kit/objects.js';

/** Resources whose objects carry ownerReferences in this simulation. */
const dependentResources = ['replicasets', 'pods', 'endpointslices', 'endpoints', 'events', 'secrets', 'configmaps'];

const resourceOfKind = new Map(resourceDefs.filter((d) => !d.virtual && !d.storedAs).map((d) => [d.kind, d]));

export function startGarbageCollector(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const ownerExists = (dependent: KubeObj, ref: NonNullable<KubeObj['metadata']['ownerReferences']>[number]) => {
    const def = resourceOfKind.get(ref.kind);
    // An owner kind this API does not serve cannot be checked: leave the dependent alone.
    if (!def) return true;
    const owner = store.get(def.plural, def.namespaced ? dependent.metadata.namespace : undefined, ref.name);
    return Boolean(owner && owner.metadata.uid === ref.uid);
  };
  const orphanKeys = (): string[] =>
    dependentResources.flatMap((resource) =>
      store
        .list(resource)
        .filter((o) => (o.metadata.ownerReferences ?? []).length > 0)
        .map((o) => `${resource}|${keyOf(o)}`),
    );
  const dependentsOf = (owner: KubeObj): string[] =>
    dependentResources.flatMap((resource) =>
      store
        .list(resource, owner.metadata.namespace)
        .filter((o) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid))
        .map((o) => `${resource}|${keyOf(o)}`),
    );
  const ownerResources = ['deployments', 'replicasets', 'services', 'nodes', 'pods', 'namespaces'];
  return startLoop(ctx, {
    name: 'garbage-collector',
    watches: Object.fromEntries(
      ownerResources.map((r) => [
        r,
        (e: { type: string; object: KubeObj }) => (e.type === 'DELETED' ? dependentsOf(e.object) : []),
      ]),
    ),
    initialKeys: orphanKeys,
    sync: (key) => {
      const [resource, objectKey] = key.split('|') as [string, string];
      const { namespace, name } = splitKey(objectKey);
      const obj = store.get(resource, namespace, name);
      const refs = obj?.metadata.ownerReferences ?? [];
      if (!obj || isTerminating(obj) || refs.length === 0) return;
      if (refs.some((ref) => ownerExists(obj, ref))) return;
      deleteIfPresent(store, resource, namespace, name);
    },
  });
}
