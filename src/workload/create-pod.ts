/**
 * Creating a bare pod in a namespace that may be too new for its `default` ServiceAccount.
 *
 * The ServiceAccount admission plugin already waits for it: an account missing from its cache
 * is looked up live, and `default` (which the controller-manager's serviceaccounts-controller
 * creates shortly after the namespace) 10 times, 100–199 ms apart, before the create is refused
 * with `error looking up service account <ns>/default: serviceaccount "default" not found`
 * (kubernetes/kubernetes plugin/pkg/admission/serviceaccount/admission.go, getServiceAccount).
 * So pods are created directly, without reading ServiceAccounts first; only when admission
 * refused one for that reason does kubeproof wait for the account (a slow controller-manager)
 * and try once more. A controller-manager that is down leaves the refusal standing.
 */

import { SERVICE_ACCOUNT_LOOKUP_FAILED } from '../kube/cluster/errors.js';
import { type CallOptions, type ClusterAccess, ClusterError, type KubeObject } from '../kube/cluster-access.js';
import { convergedWithin } from '../kube/converge.js';
import { byName } from '../kube/selectors.js';

/** Whether a refusal (a ClusterError or its recorded text) is admission not finding the pod's ServiceAccount. */
export function isServiceAccountRefusal(refusal: unknown): boolean {
  const text = refusal instanceof ClusterError ? refusal.message : typeof refusal === 'string' ? refusal : '';
  return SERVICE_ACCOUNT_LOOKUP_FAILED.test(text);
}

/**
 * Creates `pod` in `namespace`; refused for a missing ServiceAccount, waits up to
 * `serviceAccountWaitMs` for `default` and creates it once more. Every other answer (and the
 * refusal, when the account does not come) is the API server's, as `cluster.create` gives it.
 */
export async function createPod(
  cluster: Pick<ClusterAccess, 'create' | 'waitFor'>,
  pod: KubeObject,
  namespace: string,
  opts: CallOptions,
  serviceAccountWaitMs: number,
): Promise<KubeObject> {
  try {
    return await cluster.create('pods', pod, namespace, opts);
  } catch (err) {
    if (!isServiceAccountRefusal(err)) throw err;
    if (!(await defaultServiceAccountAppears(cluster, namespace, opts.signal, serviceAccountWaitMs))) throw err;
    return cluster.create('pods', pod, namespace, opts);
  }
}

/**
 * Waits for the namespace's `default` ServiceAccount (one list + watch). False when it did not
 * come in time, or when kubeproof may not read ServiceAccounts (an optional permission): then
 * the refusal the caller holds is all there is to report.
 */
async function defaultServiceAccountAppears(
  cluster: Pick<ClusterAccess, 'waitFor'>,
  namespace: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<boolean> {
  try {
    return await convergedWithin(() =>
      cluster.waitFor(
        'serviceaccounts',
        byName('default', namespace),
        (objs) => (objs.some((o) => o.metadata?.name === 'default') ? true : undefined),
        { ...(signal ? { signal } : {}), timeoutMs },
      ),
    );
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'forbidden') return false;
    throw err;
  }
}
