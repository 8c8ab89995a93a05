/**
 * Namespace controller: a Terminating namespace is emptied of every namespaced resource,
 * then its `kubernetes` finalizer is removed so the API server deletes it. Pods on nodes
 * go through graceful deletion, so the namespace stays Terminating until their kubelets
 * have stopped them — as on a real cluster.
 */
import type { KubeObj } from '../contracts.js';
import { resourceDefs } from '../store/index.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { deleteIfPresent, isTerminating } from './kit/objects.js';

/** Every stored namespaced resource (events once: both event APIs share one storage). */
export const namespacedResources = [
  ...new Set(resourceDefs.filter((d) => d.namespaced && !d.virtual && !d.storedAs).map((d) => d.plural)),
];

export function startNamespaceController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const terminating = (ns: KubeObj | undefined) =>
    Boolean(ns && (isTerminating(ns) || ns.status?.phase === 'Terminating'));
  const contentWatches = Object.fromEntries(
    namespacedResources.map((resource) => [
      resource,
      (e: { object: KubeObj }) =>
        terminating(store.get('namespaces', undefined, e.object.metadata.namespace ?? ''))
          ? [e.object.metadata.namespace!]
          : [],
    ]),
  );
  return startLoop(ctx, {
    name: 'namespace-controller',
    watches: {
      ...contentWatches,
      namespaces: (e) => (e.type === 'DELETED' || terminating(e.object) ? [e.object.metadata.name] : []),
    },
    initialKeys: () =>
      store
        .list('namespaces')
        .filter(terminating)
        .map((ns) => ns.metadata.name),
    sync: (name) => {
      const ns = store.get('namespaces', undefined, name);
      if (ns && !terminating(ns)) return;
      let remaining = 0;
      for (const resource of namespacedResources) {
        for (const obj of store.list(resource, name)) {
          remaining++;
          if (!isTerminating(obj)) deleteIfPresent(store, resource, name, obj.metadata.name);
        }
      }
      if (!ns) return;
      const left = namespacedResources.reduce((n, r) => n + store.list(r, name).length, 0);
      if (remaining > 0 && left > 0) return; // the content watches bring us back when more goes away
      finalize(ctx, ns);
    },
  });
}

function finalize(ctx: ControllerContext, ns: KubeObj): void {
  const current = ctx.store.get('namespaces', undefined, ns.metadata.name);
  if (!current) return;
  current.spec = {
    ...(current.spec ?? {}),
    finalizers: (current.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes'),
  };
  ctx.store.update('namespaces', current);
}
