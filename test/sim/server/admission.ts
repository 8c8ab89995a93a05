/**
 * The admission checks kube-apiserver runs before a create: NamespaceLifecycle (the
 * namespace must exist and not be terminating) and ServiceAccount (a pod's service account
 * must exist — how a missing controller-manager shows in a new namespace).
 */
import type { KubeObj, SimStore } from '../contracts.js';
import { forbidden, notFound } from '../store/errors.js';
import { isMirrorPod } from '../store/pod-defaults.js';
import type { ResourceDef } from '../store/resources.js';

export function admitCreate(store: SimStore, def: ResourceDef, obj: KubeObj): void {
  if (!def.namespaced) return;
  const namespace = obj.metadata.namespace ?? 'default';
  const name = obj.metadata.name || obj.metadata.generateName || '';
  const gr = { group: def.group, resource: def.plural };
  const ns = store.get('namespaces', undefined, namespace);
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
    throw forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
  if (def.plural === 'pods' && !isMirrorPod(obj)) {
    const account = obj.spec?.serviceAccountName || obj.spec?.serviceAccount || 'default';
    if (!store.get('serviceaccounts', namespace, account)) {
      throw forbidden(
        gr,
        name,
        `error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`,
      );
    }
  }
}
