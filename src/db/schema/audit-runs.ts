import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { RUN_STATUSES } from '../../kernel/vocabulary.js';
import { CALLBACK_STATES } from '../../webhook/vocabulary.js';

/** One audit. Holds the non-secret cluster identity only: never the kubeconfig or any credential. */
export const auditRuns = sqliteTable(
  'audit_runs',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    server: text('server').notNull(),
    clusterName: text('cluster_name').notNull(),
    contextName: text('context_name').notNull(),
    serverVersion: text('server_version'),
    /** Check ids and group names as requested. */
    selection: text('selection', { mode: 'json' }).$type<string[]>().notNull(),
    /** AuditOptions with every secret removed. */
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    labels: text('labels', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    warnings: text('warnings', { mode: 'json' }).$type<string[]>().notNull(),
    passedCount: integer('passed_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    cleanupNamespace: text('cleanup_namespace'),
    cleanupDeleted: integer('cleanup_deleted', { mode: 'boolean' }),
    cleanupDetail: text('cleanup_detail'),
    /** Why the run ended in error/cancelled/interrupted, in words safe to show. */
    errorDetail: text('error_detail'),
    /** The tenant (KUBEPROOF_API_TOKENS name) that created the run; null when the API is open. */
    owner: text('owner'),
    /** Where the run's summary is POSTed when it ends; null without a callback. */
    callbackUrl: text('callback_url'),
    /** The *name* of the KUBEPROOF_CALLBACK_SECRETS entry signing it; the value is never stored. */
    callbackSecret: text('callback_secret'),
    callbackState: text('callback_state', { enum: CALLBACK_STATES }),
  },
  (t) => [
    // Every list is newest first on (created_at, id); each filter gets an index that yields its
    // rows already in that order, so a page is an index range read, never a sort of all matches.
    index('audit_runs_created_idx').on(t.createdAt, t.id),
    index('audit_runs_status_created_idx').on(t.status, t.createdAt, t.id),
    index('audit_runs_server_created_idx').on(t.server, t.createdAt, t.id),
    index('audit_runs_owner_created_idx').on(t.owner, t.createdAt, t.id),
  ],
);

export type AuditRunRow = typeof auditRuns.$inferSelect;
export type NewAuditRunRow = typeof auditRuns.$inferInsert;
