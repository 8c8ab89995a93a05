/**
 * The seam between the audit service (runner, store, routes) and the check engine (suite).
 * The runner owns lifecycle, persistence and cancellation; the suite owns planning,
 * the workload and executing checks. Neither imports the other's internals.
 */

import type { AuditOptions } from '../checks/options.js';
import type { CheckCause, CheckGroup, CheckStatus, RbacNeed, SkipReason } from '../checks/types.js';
import type { SanitizedKubeconfig } from '../kube/kubeconfig/types.js';

export type { SanitizedKubeconfig };

/** Where in the guide a component was built. Served as is by `GET /v1/checks` and in reports. */
export interface GuideReference {
  /** Short label used in report tables, e.g. `article 12` or `KTHW smoke test: Services`. */
  label: string;
  /** Chapter title, when known. */
  title?: string;
  url?: string;
}

/** One check as the catalog describes it (`GET /v1/checks`). Pure data. */
export interface CatalogEntry {
  id: string;
  title: string;
  group: CheckGroup;
  component: string;
  references: readonly GuideReference[];
  prerequisites: readonly string[];
  disruptive: boolean;
  rbac: readonly RbacNeed[];
}

/** The catalog the app serves and validates selections against. */
export interface Catalog {
  list(): readonly CatalogEntry[];
}

/** The result of one check as stored and reported. */
export interface CheckResult {
  id: string;
  title: string;
  group: CheckGroup;
  component: string;
  references: readonly GuideReference[];
  status: CheckStatus;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  summary: string;
  evidence: Record<string, unknown>;
  /** Present when status is not `passed`. */
  hint?: string;
  /** What the operator should know whatever the status (a passed check keeps its warnings). */
  warnings: string[];
  /** Why kubeproof could not tell; present exactly when status is `error`. */
  cause?: CheckCause;
  /** Why the check was skipped; present exactly when status is `skipped`. */
  reason?: SkipReason;
  /** Check ids whose failure caused this check to be skipped. */
  blockedBy?: string[];
}

export interface ClusterIdentity {
  server: string;
  clusterName: string;
  contextName: string;
  serverVersion?: string;
}

export type AuditEventLevel = 'info' | 'warn' | 'error';

export interface AuditEvent {
  at: Date;
  level: AuditEventLevel;
  message: string;
  checkId?: string;
}

export interface CleanupOutcome {
  /** The run's namespace, when one was created. */
  namespace?: string;
  /** True when the namespace is gone (or none was created). */
  deleted: boolean;
  detail?: string;
}

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
}

/** Runs one audit against one cluster. Provided by src/engine/suite.ts, injected into the runner. */
export interface SuiteExecutor {
  execute(input: SuiteInput): Promise<{ cleanup: CleanupOutcome }>;
}
