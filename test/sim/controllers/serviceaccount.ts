/** ServiceAccount controller: every namespace gets its `default` ServiceAccount. */
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { namespaceIsGoneOrTerminating } from './kit/objects.js';

export function startServiceAccountController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  return startLoop(ctx, {
    name: 'serviceaccount-controller',
    watches: {
      namespaces: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name]),
      serviceaccounts: (e) =>
        e.type === 'DELETED' && e.object.metadata.name === 'default' ? [e.object.metadata.namespace!] : [],
    },
    initialKeys: () => store.list('namespaces').map((ns) => ns.metadata.name),
    sync: (namespace) => {
      if (namespaceIsGoneOrTerminating(store, namespace)) return;
      if (store.get('serviceaccounts', namespace, 'default')) return;
      store.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace },
      });
    },
  });
}
