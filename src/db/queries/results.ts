import { asc, eq, sql } from 'drizzle-orm';
import type { CheckResult } from '../../kernel/results.js';
import type { Db } from '../client.js';
import { auditRuns, type CheckResultRow, checkResults } from '../schema/index.js';

/** The run's summary counter each check status increments. */
const COUNT_FIELD = {
  passed: 'passedCount',
  failed: 'failedCount',
  skipped: 'skippedCount',
  error: 'errorCount',
} as const;

/** Stores one finished check and bumps the run's summary counts, atomically. */
export function insertResult(db: Db, runId: string, result: CheckResult): void {
  db.transaction((tx) => {
    const seq = tx.select({ n: sql<number>`count(*)` }).from(checkResults).where(eq(checkResults.runId, runId)).get();
    tx.insert(checkResults)
      .values({
        runId,
        checkId: result.id,
        seq: seq?.n ?? 0,
        title: result.title,
        group: result.group,
        component: result.component,
        references: [...result.references],
        status: result.status,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        durationMs: result.durationMs,
        summary: result.summary,
        evidence: result.evidence,
        hint: result.hint ?? null,
        warnings: [...result.warnings],
        cause: result.cause ?? null,
        reason: result.reason ?? null,
        blockedBy: result.blockedBy ?? null,
      })
      .run();
    const field = COUNT_FIELD[result.status];
    tx.update(auditRuns)
      .set({ [field]: sql`${auditRuns[field]} + 1` })
      .where(eq(auditRuns.id, runId))
      .run();
  });
}

const prepareResultsOf = (db: Db) =>
  db
    .select()
    .from(checkResults)
    .where(eq(checkResults.runId, sql.placeholder('runId')))
    .orderBy(asc(checkResults.seq))
    .prepare();
/** Prepared once per database. */
const resultsStatements = new WeakMap<Db, ReturnType<typeof prepareResultsOf>>();

/** The run's check results, in the order they finished. */
export function resultsOf(db: Db, runId: string): CheckResultRow[] {
  let statement = resultsStatements.get(db);
  if (!statement) {
    statement = prepareResultsOf(db);
    resultsStatements.set(db, statement);
  }
  return statement.all({ runId });
}
