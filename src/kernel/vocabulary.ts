/**
 * The product's closed lists, each defined once: types, zod enums (`src/routes/`, `src/report/`)
 * and drizzle columns (`src/db/schema/`) are built from these arrays.
 */

/**
 * The verdict of one check: `failed` = the cluster is broken; `error` = kubeproof could not tell.
 * `skipped` is mostly set by the engine (a prerequisite did not pass); a check returns it only as
 * `not-observable`.
 */
export const CHECK_STATUSES = ['passed', 'failed', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
/** What a check returns (every status; see CheckOutcome for what each carries). */
export type CheckVerdict = CheckStatus;

/**
 * Why a check ended `error` ("kubeproof could not tell"); `causeOf` in src/checks/causes.ts maps
 * thrown errors onto it.
 * - `permission`: RBAC refused kubeproof's own user (403 from the authorizer).
 * - `credentials`: the API server refused the credentials (401). Not `permission`: the fix is a
 *   new token or certificate, not an RBAC grant.
 * - `policy`: an admission policy denied what kubeproof creates (Pod Security, a validating
 *   webhook, a ValidatingAdmissionPolicy, a ResourceQuota, a LimitRange), or a NetworkPolicy
 *   kubeproof may not allow itself through may be dropping its calls.
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
 * Why a check was `skipped`.
 * - `blocked`: a prerequisite did not pass (`blockedBy` names it).
 * - `not-observable`: the cluster does not let anyone outside its provider observe this (a
 *   managed control plane's etcd); the result names what to check instead. Not a failure and
 *   not "could not tell": the run status ignores it.
 * - `not-run`: the audit was cancelled or reached its deadline before the check started.
 */
export const SKIP_REASONS = ['blocked', 'not-observable', 'not-run'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The statuses a report lists as root causes: the cluster failed, or kubeproof could not tell. */
export const ROOT_CAUSE_STATUSES = ['failed', 'error'] as const satisfies readonly CheckStatus[];
export type RootCauseStatus = (typeof ROOT_CAUSE_STATUSES)[number];

/** Groups a request may name instead of check ids. */
export const CHECK_GROUPS = ['preflight', 'smoke', 'encryption'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** A run's lifecycle: `queued → running → passed | failed | error | cancelled | interrupted`. */
export const RUN_STATUSES = ['queued', 'running', 'passed', 'failed', 'error', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run ends in. */
export const FINAL_STATUSES = [
  'passed',
  'failed',
  'error',
  'cancelled',
  'interrupted',
] as const satisfies readonly RunStatus[];
export type FinalStatusName = (typeof FINAL_STATUSES)[number];

/** Whether a run has ended (no more results or events will be written to it). */
export const isFinal = (status: string): status is FinalStatusName =>
  (FINAL_STATUSES as readonly string[]).includes(status);

/** How loud an audit event is. */
export const EVENT_LEVELS = ['info', 'warn', 'error'] as const;
export type AuditEventLevel = (typeof EVENT_LEVELS)[number];

/** Where a permission applies: the audit's own namespace, kube-system, or cluster-wide. */
export const RBAC_SCOPES = ['run', 'kube-system', 'cluster'] as const;
export type RbacScope = (typeof RBAC_SCOPES)[number];
