import { developerPolicy, type OutboundPolicy } from '../../net/outbound-policy.js';
import type {
  AccessAnswer,
  CallOptions,
  ClusterAccess,
  KubeObject,
  ListSelector,
  ResourceKind,
  ServerVersion,
} from '../cluster-access.js';
import { accessReviewSpec } from '../cluster-access.js';
import type { SanitizedKubeconfig } from '../kubeconfig/types.js';
import { DEFAULT_CALL_TIMEOUT_MS, withCallScope } from './deadline.js';
import { errorFromTransport } from './errors.js';
import { execInPod } from './exec.js';
import { followLogLines, logPath } from './log-follow.js';
import { portForwardGets } from './port-forward.js';
import { collectionPath, objectPath } from './resources.js';
import { rulesReviewOf } from './rules-review.js';
import { kubeConfigFrom, Transport } from './transport.js';
import { interruptedWaitError, listObjects, newWatchHealth, type WatchBackoff, waitForObjects } from './wait-for.js';

/**
 * The ClusterAccess for one run, from the intake's sanitized kubeconfig.
 * @example
 * const cluster = createClusterAccess(creds);
 * const pods = await cluster.list('pods', { namespace: 'kube-system' }, { signal, timeoutMs: 5000 });
 */
export function createClusterAccess(
  creds: SanitizedKubeconfig,
  outbound: OutboundPolicy = developerPolicy(),
  /** Tests shrink the watch back-off; production uses the reflector's. */
  tuning: { watchBackoff?: WatchBackoff } = {},
): ClusterAccess {
  const kc = kubeConfigFrom(creds);
  const http = new Transport(kc, creds.server, outbound);
  const call = <T>(opts: CallOptions | undefined, fn: (signal: AbortSignal) => Promise<T>) =>
    withCallScope(opts, DEFAULT_CALL_TIMEOUT_MS, errorFromTransport, fn);

  const containerOf = async (namespace: string, pod: string, container: string | undefined, signal: AbortSignal) => {
    if (container) return container;
    const obj = await http.json<KubeObject>({ method: 'GET', path: objectPath('pods', pod, namespace), signal });
    return (obj.spec?.containers?.[0]?.name as string | undefined) ?? '';
  };

  return {
    server: creds.server,
    outbound,
    version: (opts) => call(opts, (signal) => http.json<ServerVersion>({ method: 'GET', path: '/version', signal })),
    canI: (question, opts) =>
      call(opts, async (signal) => {
        const review = await http.json<{ status?: { allowed?: boolean; reason?: string } }>({
          method: 'POST',
          path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: accessReviewSpec(question),
          },
          signal,
        });
        const answer: AccessAnswer = { allowed: review.status?.allowed === true };
        if (review.status?.reason) answer.reason = review.status.reason;
        return answer;
      }),
    rulesReview: (namespace, opts) =>
      call(opts, async (signal) =>
        rulesReviewOf(
          await http.json<unknown>({
            method: 'POST',
            path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
            body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
            signal,
          }),
        ),
      ),
    get: (resource, name, namespace, opts) =>
      call(opts, (signal) =>
        http.json<KubeObject>({ method: 'GET', path: objectPath(resource, name, namespace), signal }),
      ),
    list: (resource: ResourceKind, selector: ListSelector = {}, opts?: CallOptions) =>
      call(opts, (signal) => listObjects(http, resource, selector, signal)),
    create: (resource, obj, namespace, opts) =>
      call(opts, (signal) =>
        http.json<KubeObject>({ method: 'POST', path: collectionPath(resource, namespace), body: obj, signal }),
      ),
    patch: (resource, name, patch, namespace, opts) =>
      call(opts, (signal) =>
        http.json<KubeObject>({
          method: 'PATCH',
          path: objectPath(resource, name, namespace),
          body: patch,
          contentType: 'application/merge-patch+json',
          signal,
        }),
      ),
    delete: (resource, name, namespace, opts) =>
      call(opts, async (signal) => {
        const body = await http.sendOk({
          method: 'DELETE',
          path: objectPath(resource, name, namespace),
          body: {
            kind: 'DeleteOptions',
            apiVersion: 'v1',
            propagationPolicy: 'Background',
            ...(opts?.uid ? { preconditions: { uid: opts.uid } } : {}),
          },
          signal,
        });
        return deletedObject(body);
      }),
    waitFor: async (resource, selector, predicate, opts) => {
      const health = opts?.watchHealth ?? newWatchHealth();
      try {
        return await call(opts, (signal) =>
          waitForObjects(http, resource, selector, predicate, signal, {
            health,
            ...(opts?.from ? { from: opts.from } : {}),
            ...(tuning.watchBackoff ? { backoff: tuning.watchBackoff } : {}),
          }),
        );
      } catch (err) {
        throw interruptedWaitError(resource, health, err);
      }
    },
    exec: (req, opts) =>
      call(opts, async (signal) =>
        execInPod(kc, http, await containerOf(req.namespace, req.pod, req.container, signal), req, signal),
      ),
    logs: (req, opts) =>
      call(opts, async (signal) =>
        http.sendOk({
          method: 'GET',
          path: logPath(req, await containerOf(req.namespace, req.pod, req.container, signal)),
          accept: '*/*',
          signal,
          maxBytes: http.limits.logBytes,
        }),
      ),
    followLogs: (req, use, opts) =>
      call(opts, async (signal) =>
        followLogLines(
          http,
          logPath(req, await containerOf(req.namespace, req.pod, req.container, signal)),
          http.limits.logBytes,
          signal,
          use,
        ),
      ),
    portForwardGet: (req, opts) => call(opts, async (signal) => (await portForwardGets(kc, http, req, 1, signal))[0]!),
    portForwardGets: (req, count, opts) => call(opts, (signal) => portForwardGets(kc, http, req, count, signal)),
    rawGet: (path, opts) =>
      call(opts, (signal) =>
        http.sendOk({ method: 'GET', path, accept: '*/*', signal, maxBytes: http.limits.rawBytes }),
      ),
    close: () => http.close(),
  };
}

/**
 * The object a DELETE answered with, or undefined for a Status (or a body that is no object:
 * the delete was accepted all the same, only a later wait cannot start from it).
 */
function deletedObject(body: string): KubeObject | undefined {
  try {
    const answer = JSON.parse(body) as KubeObject | null;
    return answer && typeof answer === 'object' && answer.kind !== 'Status' ? answer : undefined;
  } catch {
    return undefined;
  }
}
