/**
 * The seam between the audit service (runner, store, routes) and the check engine (suite).
 * The runner owns lifecycle, persistence and cancellation; the suite owns planning,
 * the workload and executing checks. Neither imports the other's internals.
 */

import type { AuditOptions } from '../checks/options.js';
import type { AuditEvent, CheckResult, CleanupOutcome, ClusterIdentity } from '../kernel/results.js';
import type { SanitizedKubeconfig } from '../kube/kubeconfig/types.js';

export interface SuiteInput {
  runId: string;
  /** From the intake; never persisted. */
  credentials: SanitizedKubeconfig;
  /** Check ids or group names, already validated against the catalog. */
  selection: string[];
  options: AuditOptions;
  /** Aborted on cancel or when the run's deadline passes; cleanup must still run. */
  signal: AbortSignal;
  onClusterIdentity(identity: ClusterIdentity): void;
  onCheckStarted(id: string, at: Date): void;
  /** Persisted at once: the database reflects progress check by check. */
  onCheckFinished(result: CheckResult): void;
  onEvent(event: AuditEvent): void;
  /**
   * Every check has its result and the run's namespace deletion has been asked for; what is
   * left is waiting for it to be gone. The runner publishes the verdict here and records the
   * cleanup's outcome when execute() resolves. Not called when the run was aborted first.
   */
  onVerdict?(): void;
}

/** Runs one audit against one cluster. Provided by src/engine/suite/suite.ts, injected into the runner. */
export interface SuiteExecutor {
  execute(input: SuiteInput): Promise<{ cleanup: CleanupOutcome }>;
  /**
   * The longest the selection may take when every check uses its whole budget (see
   * suite/run-budget.ts): the runner's deadline is never shorter. Absent: the configured deadline.
   */
  budgetMs?(selection: string[]): number;
}
