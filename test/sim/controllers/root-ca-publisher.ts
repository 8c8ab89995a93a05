/**
 * kube-controller-manager's root-ca-cert-publisher
 * (pkg/controller/certificates/rootcacertpublisher/publisher.go): every namespace holds the
 * ConfigMap `kube-root-ca.crt` with the cluster CA as `ca.crt` (what projected ServiceAccount
 * token volumes mount), re-created when deleted and put back when its data is changed.
 */
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { namespaceIsGoneOrTerminating } from './kit/objects.js';

export const rootCaConfigMap = 'kube-root-ca.crt';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function startRootCaPublisher(ctx: ControllerContext, caPem: string): Stop {
  const { store } = ctx;
  return startLoop(ctx, {
    name: 'root-ca-cert-publisher',
    watches: {
      namespaces: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name]),
      configmaps: (e) => (e.object.metadata.name === rootCaConfigMap ? [e.object.metadata.namespace!] : []),
    },
    initialKeys: () => store.list('namespaces').map((ns) => ns.metadata.name),
    sync: (namespace) => {
      if (namespaceIsGoneOrTerminating(store, namespace)) return;
      const current = store.get('configmaps', namespace, rootCaConfigMap);
      if (!current) {
        store.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCaConfigMap, namespace, annotations: { 'kubernetes.io/description': description } },
          data: { 'ca.crt': caPem },
        });
        return;
      }
      if (current.data?.['ca.crt'] === caPem && Object.keys(current.data ?? {}).length === 1) return;
      store.update('configmaps', { ...current, data: { 'ca.crt': caPem } });
    },
  });
}
