/**
 * Why a check ended `error` ("kubeproof could not tell") and why one was `skipped`: the one list
 * of each. The zod enums of the API, the database column and the report renderers derive from
 * these arrays.
 */
import { ClusterError, type ClusterErrorKind } from '../kube/cluster-access.js';

/**
 * - `permission`: RBAC refused kubeproof's own user (403 from the authorizer).
 * - `credentials`: the API server refused the credentials (401). Not `permission`: the fix is a
 *   new token or certificate, not an RBAC grant.
 * - `policy`: an admission policy denied what kubeproof creates (Pod Security, a validating
 *   webhook, a ValidatingAdmissionPolicy, a ResourceQuota, a LimitRange).
 * - `unreachable`: the API server could not be reached.
 * - `timeout`: the cluster was too slow to tell within kubeproof's budget.
 * - `cancelled`: the audit was cancelled (or the service stopped) before the check concluded;
 *   no fix on the cluster side.
 * - `not-observable`: the request requires a verdict (`options.encryption.required`) that nobody
 *   outside the provider can observe (etcd on a managed control plane). Not `permission`: no
 *   grant would help; the fix is to read the provider's setting.
 * - `unexpected`: anything else (an answer kubeproof does not understand, its own failure).
 */
export const CHECK_CAUSES = [
  'permission',
  'credentials',
  'policy',
  'unreachable',
  'timeout',
  'cancelled',
  'not-observable',
  'unexpected',
] as const;
export type CheckCause = (typeof CHECK_CAUSES)[number];

/**
 * - `blocked`: a prerequisite did not pass (`blockedBy` names it).
 * - `not-observable`: the cluster does not let anyone outside its provider observe this (a
 *   managed control plane's etcd); the result names what to check instead. Not a failure and
 *   not "could not tell": the run status ignores it.
 * - `not-run`: the audit was cancelled or reached its deadline before the check started.
 */
export const SKIP_REASONS = ['blocked', 'not-observable', 'not-run'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const CAUSE_OF_KIND: Record<ClusterErrorKind, CheckCause> = {
  unreachable: 'unreachable',
  unauthorized: 'credentials',
  forbidden: 'permission',
  policy: 'policy',
  timeout: 'timeout',
  aborted: 'cancelled',
  // Our own limit: an answer kubeproof would not read, not a verdict on the cluster.
  'too-large': 'unexpected',
  'not-found': 'unexpected',
  conflict: 'unexpected',
  invalid: 'unexpected',
  server: 'unexpected',
};

/** The cause of an `error` verdict from what was thrown: a ClusterError's kind, else `unexpected`. */
export function causeOf(err: unknown): CheckCause {
  return err instanceof ClusterError ? CAUSE_OF_KIND[err.kind] : 'unexpected';
}
