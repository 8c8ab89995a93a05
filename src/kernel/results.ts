import type { GuideReference } from './guide.js';
import type { AuditEventLevel, CheckCause, CheckGroup, CheckStatus, SkipReason } from './vocabulary.js';

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
