import type { ClusterAccess } from '../kube/cluster-access.js';
import type { CheckCause, SkipReason } from './causes.js';
import type { AuditOptions } from './options.js';

export type { CheckCause, SkipReason } from './causes.js';

/**
 * The verdict of one check. `skipped` is mostly set by the engine (a prerequisite did not pass);
 * a check returns it only as `not-observable`.
 */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

/** What a check returns: `failed` = the cluster is broken; `error` = kubeproof could not tell. */
export type CheckVerdict = CheckStatus;

/** Groups a request may name instead of check ids. */
export type CheckGroup = 'preflight' | 'smoke' | 'encryption';

/**
 * One permission a check needs, phrased as a SelfSubjectAccessReview: resourceAttributes, or
 * nonResourceAttributes when `nonResourceURL` is set.
 * @example
 * { verb: 'create', group: 'apps', resource: 'deployments', scope: 'run' }
 * { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster', optional: true,
 *   purpose: 'the apiserver-metrics strategy' }
 */
export interface RbacNeed {
  verb: string;
  /** API group, '' for core (and for non-resource URLs). */
  group: string;
  /** Plural resource, '' for non-resource URLs. */
  resource: string;
  subresource?: string;
  /** A non-resource URL such as `/metrics` (always cluster scope, granted by a ClusterRole). */
  nonResourceURL?: string;
  /** `run`: the audit's own namespace; `kube-system`; `cluster`: cluster-scoped or all namespaces. */
  scope: 'run' | 'kube-system' | 'cluster';
  /**
   * The check works without it, with weaker evidence: preflight only warns when it is missing
   * and never blocks the check for it.
   */
  optional?: boolean;
  /** What the permission is for, said to the operator (for optional ones: what it enables). */
  purpose?: string;
}

interface OutcomeBase {
  /** One line an operator reads first. */
  summary: string;
  /** What was observed: pods with node and IP, hostnames answered, addresses resolved... */
  evidence: Record<string, unknown>;
  /** How to fix it; required when status is not `passed`. */
  hint?: string;
  /**
   * What an operator should know even when the check passed: a weak provider, Secrets still
   * stored in plaintext, evidence that is only indirect. Absent means none.
   */
  warnings?: string[];
}

/**
 * What a check returns. `error` always says why kubeproof could not tell (`cause`); `skipped`
 * from a check is always `not-observable` (the engine sets the other skip reasons).
 */
export type CheckOutcome =
  | (OutcomeBase & { status: 'passed' | 'failed' })
  | (OutcomeBase & { status: 'error'; cause: CheckCause })
  | (OutcomeBase & { status: 'skipped'; reason: SkipReason });

/** Static description of a check: data the API serves as is, plus one function. */
export interface CheckDefinition {
  id: string;
  title: string;
  group: CheckGroup;
  /** Key into the component → guide mapping (see guide.ts). */
  component: string;
  /** Hard prerequisites: this check is `skipped` (blockedBy) unless every one of them `passed`. */
  prerequisites: readonly string[];
  /**
   * Soft ordering: start only after these checks finished (whatever their verdict), when they
   * are in the plan. Not prerequisites: their failure does not skip this check.
   */
  after?: readonly string[];
  /** Disruptive checks (delete a pod, scale, kill a container) run after every non-disruptive one. */
  disruptive: boolean;
  /**
   * Whether the check needs the shared in-cluster workload (web Deployment, Services, client
   * pod). Implies needsNamespace: the workload lives in the run's namespace.
   */
  needsWorkload: boolean;
  /**
   * Whether the check needs the run's namespace (`kubeproof-<id>`) and nothing else of the
   * workload, e.g. to write an object of its own there. The engine creates the namespace before
   * the first check that needs it runs (whatever the fate of the web Deployment) and deletes it
   * at the end of the run; the check finds its name in `ctx.namespace`. Absent means false.
   * A check that sets it declares the permissions the namespace takes (`RUN_NAMESPACE_RBAC`).
   */
  needsNamespace?: boolean;
  rbac: readonly RbacNeed[];
  /** This check's own deadline; exceeding it is `error` (kubeproof gave up), never `failed`. */
  deadlineMs: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Everything a check may touch. Checks never import @kubernetes/client-node directly. */
export interface CheckContext {
  cluster: ClusterAccess;
  /** The shared fixture; undefined for checks with needsWorkload=false. */
  workload: WorkloadHandle | undefined;
  /**
   * The run's namespace, already created by the engine; set for checks that need it
   * (needsNamespace or needsWorkload), undefined otherwise.
   */
  namespace?: string;
  options: AuditOptions;
  /** Aborted on cancel, run deadline or this check's deadline. */
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  /** Results of checks that already finished in this run (prerequisites are always there). */
  results: ReadonlyMap<string, CheckOutcome>;
}

/** The in-cluster fixture created once per run and shared by the smoke checks. */
export interface WorkloadHandle {
  namespace: string;
  deploymentName: string;
  serviceName: string;
  nodePortServiceName: string;
  clientPodName: string;
  replicas: number;
  clusterDomain: string;
  /**
   * Requests kubeproof made to the web pods, so pods.logs can look for them: one entry per
   * answered `GET /hostname`, the name of the pod that answered.
   */
  requestLog: string[];
}
