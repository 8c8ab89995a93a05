import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { FINAL_STATUSES, type RunStatus } from '../../kernel/vocabulary.js';
import type { Db } from '../client.js';
import { type AuditRunRow, auditRuns, type NewAuditRunRow } from '../schema/index.js';

/** Inserts a run and returns the stored row. */
export function insertRun(db: Db, row: NewAuditRunRow): AuditRunRow {
  return db.insert(auditRuns).values(row).returning().get();
}

const prepareFindRun = (db: Db) =>
  db
    .select()
    .from(auditRuns)
    .where(eq(auditRuns.id, sql.placeholder('id')))
    .prepare();
/** Prepared once per database: every report read starts with this lookup. */
const findRunStatements = new WeakMap<Db, ReturnType<typeof prepareFindRun>>();

/** The run row, or undefined. */
export function findRun(db: Db, id: string): AuditRunRow | undefined {
  let statement = findRunStatements.get(db);
  if (!statement) {
    statement = prepareFindRun(db);
    findRunStatements.set(db, statement);
  }
  return statement.get({ id });
}

/** Updates the given columns of a run. */
export function updateRun(db: Db, id: string, changes: Partial<NewAuditRunRow>): void {
  db.update(auditRuns).set(changes).where(eq(auditRuns.id, id)).run();
}

/** Moves every run still queued or running to `interrupted` (the process that owned them is gone). */
export function interruptUnfinishedRuns(db: Db, at: Date): string[] {
  const rows = db
    .update(auditRuns)
    .set({
      status: 'interrupted',
      finishedAt: at,
      errorDetail:
        'kubeproof stopped while this audit was in progress; its namespace may need cleanup (the next audit of this cluster sweeps expired ones).',
    })
    .where(inArray(auditRuns.status, ['queued', 'running']))
    .returning({ id: auditRuns.id })
    .all();
  return rows.map((r) => r.id);
}

/** Deletes a run; its results and events go with it (ON DELETE CASCADE). True when a row was deleted. */
export function deleteRun(db: Db, id: string): boolean {
  return db.delete(auditRuns).where(eq(auditRuns.id, id)).run().changes > 0;
}

/** Deletes every finished run that ended before `cutoff` (results and events cascade); returns their ids. */
export function deleteFinishedBefore(db: Db, cutoff: Date): string[] {
  const rows = db
    .delete(auditRuns)
    .where(and(inArray(auditRuns.status, [...FINAL_STATUSES]), lt(auditRuns.finishedAt, cutoff)))
    .returning({ id: auditRuns.id })
    .all();
  return rows.map((r) => r.id);
}

export interface RunListFilter {
  status?: RunStatus;
  server?: string;
  /** Only this tenant's runs. */
  owner?: string;
  /** `key=value` pairs that must all match the run's labels. */
  labels?: Array<[string, string]>;
  /** Continue after this (createdAt, id) position, newest first. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Runs newest first; keyset pagination on (created_at, id) so pages never overlap or skip. */
export function listRuns(db: Db, filter: RunListFilter): AuditRunRow[] {
  return listRunsQuery(db, filter).all();
}

/** The query listRuns runs (its plan is tested: an index range read for every filter). */
export function listRunsQuery(db: Db, filter: RunListFilter) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(auditRuns.status, filter.status));
  if (filter.server) conditions.push(eq(auditRuns.server, filter.server));
  if (filter.owner !== undefined) conditions.push(eq(auditRuns.owner, filter.owner));
  for (const [key, value] of filter.labels ?? []) {
    // Label keys are validated to a safe character set; the JSON path is still bound, not interpolated.
    conditions.push(sql`json_extract(${auditRuns.labels}, ${`$."${key}"`}) = ${value}`);
  }
  if (filter.after) {
    const { createdAt, id } = filter.after;
    // A row-value comparison: SQLite seeks the (…, created_at, id) index to the cursor, where
    // the equivalent OR of two conditions made it scan every newer row first.
    conditions.push(sql`(${auditRuns.createdAt}, ${auditRuns.id}) < (${createdAt.getTime()}, ${id})`);
  }
  return db
    .select()
    .from(auditRuns)
    .where(and(...conditions))
    .orderBy(desc(auditRuns.createdAt), desc(auditRuns.id))
    .limit(filter.limit);
}
