import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { GuideReference } from '../../kernel/guide.js';
import { CHECK_CAUSES, CHECK_GROUPS, CHECK_STATUSES, SKIP_REASONS } from '../../kernel/vocabulary.js';
import { auditRuns } from './audit-runs.js';

/** One row per check of a run, written the moment the check finishes. */
export const checkResults = sqliteTable(
  'check_results',
  {
    runId: text('run_id')
      .notNull()
      .references(() => auditRuns.id, { onDelete: 'cascade' }),
    checkId: text('check_id').notNull(),
    /** Order in which results arrived, so reports keep execution order. */
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    group: text('group', { enum: CHECK_GROUPS }).notNull(),
    component: text('component').notNull(),
    references: text('references', { mode: 'json' }).$type<GuideReference[]>().notNull(),
    status: text('status', { enum: CHECK_STATUSES }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    summary: text('summary').notNull(),
    evidence: text('evidence', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    hint: text('hint'),
    /** Warnings kept whatever the status (a passed check's weak provider, indirect evidence...). */
    warnings: text('warnings', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Why kubeproof could not tell, for `error` results. */
    cause: text('cause', { enum: CHECK_CAUSES }),
    /** Why the check was skipped, for `skipped` results. */
    reason: text('reason', { enum: SKIP_REASONS }),
    blockedBy: text('blocked_by', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.checkId] })],
);

export type CheckResultRow = typeof checkResults.$inferSelect;
