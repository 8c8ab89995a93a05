/**
 * The admission checks kube-apiserver runs before a create: NamespaceLifecycle (the
 * namespace must exist and not be terminating) and ServiceAccount (a pod's service account
 * must exist — how a missing controller-manager shows in a new namespace).
 */
import type { KubeObj, SimStore } from '../contracts.js';
import { forbidden, notFound } from '../store/errors.js';
import { isMirrorPod } from '../store/pod-defaults.js';
import type { ResourceDef } from '../store/resources.js';

/** How the ServiceAccount plugin waits between its lookups (injected by tests). */
export interface AdmissionTiming {
  sleep(ms: number): Promise<void>;
  /** 0 ≤ r < 1, for the retry interval. */
  random(): number;
}

const realTiming: AdmissionTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export async function admitCreate(
  store: SimStore,
  def: ResourceDef,
  obj: KubeObj,
  timing: AdmissionTiming = realTiming,
): Promise<void> {
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
    if (!(await serviceAccountFound(store, namespace, account, timing))) {
      throw forbidden(
        gr,
        name,
        `error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`,
      );
    }
  }
}

/**
 * The ServiceAccount admission plugin's getServiceAccount (kubernetes/kubernetes
 * plugin/pkg/admission/serviceaccount/admission.go): not in its informer's cache, it looks the
 * account up live, once — for `default`, which the controller-manager's serviceaccounts-controller
 * creates shortly after the namespace, 10 times, 100–199 ms apart (one random interval for all
 * retries) — and only then refuses with NotFound wrapped in `error looking up service account`.
 */
async function serviceAccountFound(
  store: SimStore,
  namespace: string,
  account: string,
  timing: AdmissionTiming,
): Promise<boolean> {
  const attempts = account === 'default' ? 10 : 1;
  const intervalMs = 100 + Math.floor(timing.random() * 100);
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await timing.sleep(intervalMs);
    if (store.get('serviceaccounts', namespace, account)) return true;
  }
  return false;
}
