import type { ClusterAccess } from './cluster-access.js';

/**
 * The verbs of the API server's own request metrics (apiserver_request_total): the HTTP method
 * for plain requests, LIST and WATCH for collections, CONNECT for the exec and port-forward
 * streams (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/metrics/metrics.go,
 * CleanVerb). Someone reading both dashboards sees the same words.
 */
export const API_VERBS = ['GET', 'LIST', 'WATCH', 'POST', 'PATCH', 'DELETE', 'CONNECT'] as const;
export type ApiVerb = (typeof API_VERBS)[number];

/** Told once per ClusterAccess call, when it settles: its verb and whether it succeeded. */
export type ApiRequestObserver = (verb: ApiVerb, ok: boolean) => void;

const VERB_OF: Record<Exclude<keyof ClusterAccess, 'server' | 'outbound' | 'close'>, ApiVerb> = {
  version: 'GET',
  canI: 'POST', // a SelfSubjectAccessReview is created
  rulesReview: 'POST', // a SelfSubjectRulesReview is created
  get: 'GET',
  list: 'LIST',
  create: 'POST',
  patch: 'PATCH',
  delete: 'DELETE',
  waitFor: 'WATCH', // one list-then-watch, counted once however often it re-watches
  exec: 'CONNECT',
  logs: 'GET',
  followLogs: 'GET', // one request however long it streams
  portForwardGet: 'CONNECT',
  portForwardGets: 'CONNECT', // one upgrade, however many requests go over it
  rawGet: 'GET',
};

/**
 * The same ClusterAccess, telling `observe` about every call it makes to the cluster. The
 * observer sees the verb and the outcome only: never a path, a body or a credential.
 */
export function countingAccess(inner: ClusterAccess, observe: ApiRequestObserver): ClusterAccess {
  // Built field by field: a test double's methods may live on its prototype.
  const target: Record<string, unknown> = { server: inner.server, close: () => inner.close() };
  if (inner.outbound) target.outbound = inner.outbound;
  for (const [method, verb] of Object.entries(VERB_OF) as Array<[keyof typeof VERB_OF, ApiVerb]>) {
    const fn = inner[method] as (...args: unknown[]) => Promise<unknown>;
    target[method] = async (...args: unknown[]) => {
      try {
        const value = await fn.apply(inner, args);
        observe(verb, true);
        return value;
      } catch (err) {
        observe(verb, false);
        throw err;
      }
    };
  }
  return target as unknown as ClusterAccess;
}
