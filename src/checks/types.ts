import type { RbacNeed } from '../kernel/catalog.js';
import type { Clock } from '../kernel/clock.js';
import type { ComponentKey } from '../kernel/guide.js';
import type { Logger } from '../kernel/logger.js';
import type { CheckCause, CheckGroup, SkipReason } from '../kernel/vocabulary.js';
import type { ClusterAccess } from '../kube/cluster-access.js';
import type { WorkloadHandle } from '../workload/types.js';
import type { AuditOptions } from './options.js';

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
  /** The component this check's observation confirms: a key of the guide (src/kernel/guide.ts). */
  component: ComponentKey;
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
   * A disruptive check that disrupts only an object of its own no other check reads
   * (kubelet.restart's probe pod): it runs as soon as its prerequisites are done, alongside the
   * others, instead of after every non-disruptive check and one at a time. Absent means false.
   */
  isolated?: boolean;
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
  /**
   * Says what the check is waiting for while it waits ("rollout 2/3 ready", "web-x on worker-1:
   * ContainerCreating"). The engine records it as a progress event of this check (persisted like
   * the others; repeats of the same text are dropped), so a client following the run sees more
   * than start and end. Optional so contexts built by tests need not provide it.
   */
  progress?: (message: string) => void;
  /** Results of checks that already finished in this run (prerequisites are always there). */
  results: ReadonlyMap<string, CheckOutcome>;
}
