import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ATTEMPT_OUTCOMES } from '../../webhook/vocabulary.js';
import { auditRuns } from './audit-runs.js';

/** Each attempt to deliver a run's callback (GET /v1/audits/{id} shows them). Never a secret, never the receiver's body. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => auditRuns.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** The receiver's HTTP status; null when it never answered. */
    statusCode: integer('status_code'),
    outcome: text('outcome', { enum: ATTEMPT_OUTCOMES }).notNull(),
    error: text('error'),
    /** The wait before the next attempt; null when this one was the last. */
    retryInMs: integer('retry_in_ms'),
  },
  (t) => [index('webhook_attempts_run_idx').on(t.runId, t.attempt)],
);

export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
