import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditRuns, type WebhookAttemptRow, webhookAttempts } from '../schema/index.js';

export type NewWebhookAttempt = Omit<WebhookAttemptRow, 'id' | 'runId'>;

/** Appends one delivery attempt to the run. */
export function insertWebhookAttempt(db: Db, runId: string, attempt: NewWebhookAttempt): void {
  db.insert(webhookAttempts)
    .values({ runId, ...attempt })
    .run();
}

/** The run's delivery attempts, in order. */
export function webhookAttemptsOf(db: Db, runId: string): WebhookAttemptRow[] {
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.runId, runId))
    .orderBy(asc(webhookAttempts.id))
    .all();
}

/** At start-up: deliveries a previous process left pending will never be made; returns those runs' ids. */
export function abandonPendingCallbacks(db: Db): string[] {
  return db
    .update(auditRuns)
    .set({ callbackState: 'abandoned' })
    .where(eq(auditRuns.callbackState, 'pending'))
    .returning({ id: auditRuns.id })
    .all()
    .map((r) => r.id);
}
