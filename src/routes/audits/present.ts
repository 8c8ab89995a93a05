import type { z } from '@hono/zod-openapi';
import type { AuditRunRow, CheckResultRow, WebhookAttemptRow } from '../../db/schema/index.js';
import type { Catalog } from '../../kernel/catalog.js';
import { inCatalogOrder } from '../../report/order.js';
import type { AuditRun, AuditRunSummary } from '../../report/schema.js';
import type { AuditRunDetailSchema } from './schema.js';

/** The catalog's check ids, in registry order: the order results are shown in. */
export const catalogIds = (catalog: Catalog): string[] => catalog.list().map((entry) => entry.id);

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The links every audit representation carries. */
export function auditLinks(id: string) {
  const self = `/v1/audits/${encodeURIComponent(id)}`;
  return { self, report: `${self}/report`, events: `${self}/events`, cancel: `${self}/cancel` };
}

/** A run row as the API shows it (no checks). */
export function presentRunSummary(run: AuditRunRow): AuditRunSummary {
  const total = run.passedCount + run.failedCount + run.skippedCount + run.errorCount;
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    cluster: {
      server: run.server,
      clusterName: run.clusterName,
      contextName: run.contextName,
      serverVersion: run.serverVersion,
    },
    selection: run.selection,
    options: run.options,
    labels: run.labels,
    warnings: run.warnings,
    summary: {
      total,
      passed: run.passedCount,
      failed: run.failedCount,
      skipped: run.skippedCount,
      error: run.errorCount,
    },
    cleanup:
      run.cleanupDeleted === null
        ? null
        : { namespace: run.cleanupNamespace, deleted: run.cleanupDeleted, detail: run.cleanupDetail },
    errorDetail: run.errorDetail,
    links: auditLinks(run.id),
  };
}

/** The full audit representation: the summary plus every check result, in catalog order. */
export function presentRun(run: AuditRunRow, results: CheckResultRow[], catalogIds: readonly string[]): AuditRun {
  const checks = results.map((r): AuditRun['checks'][number] => ({
    id: r.checkId,
    title: r.title,
    group: r.group,
    component: r.component,
    references: r.references,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
    durationMs: r.durationMs,
    summary: r.summary,
    evidence: r.evidence,
    warnings: r.warnings,
    ...(r.cause ? { cause: r.cause } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.hint ? { hint: r.hint } : {}),
    ...(r.blockedBy ? { blockedBy: r.blockedBy } : {}),
  }));
  return { ...presentRunSummary(run), checks: inCatalogOrder(checks, catalogIds) };
}

/** The run's webhook as GET /v1/audits/{id} shows it (the secret by name only); null without one. */
function presentCallback(
  run: AuditRunRow,
  attempts: WebhookAttemptRow[],
): z.infer<typeof AuditRunDetailSchema>['callback'] {
  if (!run.callbackUrl) return null;
  return {
    url: run.callbackUrl,
    secret: run.callbackSecret,
    state: run.callbackState ?? 'pending',
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      outcome: a.outcome,
      error: a.error,
      retryInMs: a.retryInMs,
    })),
  };
}

/** GET /v1/audits/{id}: the full audit and its callback delivery. */
export function presentRunDetail(
  run: AuditRunRow,
  results: CheckResultRow[],
  attempts: WebhookAttemptRow[],
  catalogIds: readonly string[],
): z.infer<typeof AuditRunDetailSchema> {
  return { ...presentRun(run, results, catalogIds), callback: presentCallback(run, attempts) };
}
