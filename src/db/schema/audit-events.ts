import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { EVENT_LEVELS } from '../../kernel/vocabulary.js';
import { auditRuns } from './audit-runs.js';

/** Progress of a run, in order: what `/v1/audits/{id}/events` serves. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => auditRuns.id, { onDelete: 'cascade' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    level: text('level', { enum: EVENT_LEVELS }).notNull(),
    message: text('message').notNull(),
    checkId: text('check_id'),
  },
  (t) => [index('audit_events_run_idx').on(t.runId, t.seq)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
