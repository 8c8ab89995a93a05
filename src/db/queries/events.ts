import { and, asc, eq, gt } from 'drizzle-orm';
import type { AuditEvent } from '../../kernel/results.js';
import type { Db } from '../client.js';
import { type AuditEventRow, auditEvents } from '../schema/index.js';

/** Appends a progress event to the run; the stored row carries its sequence number. */
export function insertEvent(db: Db, runId: string, event: AuditEvent): AuditEventRow {
  return db
    .insert(auditEvents)
    .values({ runId, at: event.at, level: event.level, message: event.message, checkId: event.checkId ?? null })
    .returning()
    .get();
}

/** Events of a run in order, optionally only those after a sequence number (SSE resume). */
export function eventsOf(db: Db, runId: string, afterSeq = 0): AuditEventRow[] {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.runId, runId), gt(auditEvents.seq, afterSeq)))
    .orderBy(asc(auditEvents.seq))
    .all();
}
