import { EventEmitter } from 'node:events';
import type { AuditEvent, CheckResult, CleanupOutcome } from '../kernel/results.js';
import type { RunStatus } from '../kernel/vocabulary.js';
import type { CallbackState } from '../webhook/vocabulary.js';
import type { Db } from './client.js';
import { eventsOf, insertEvent } from './queries/events.js';
import { insertResult, resultsOf } from './queries/results.js';
import {
  deleteFinishedBefore,
  deleteRun,
  findRun,
  insertRun,
  interruptUnfinishedRuns,
  listRuns,
  type RunListFilter,
  updateRun,
} from './queries/runs.js';
import {
  abandonPendingCallbacks,
  insertWebhookAttempt,
  type NewWebhookAttempt,
  webhookAttemptsOf,
} from './queries/webhooks.js';
import { RunCache } from './run-cache.js';
import type { AuditEventRow, AuditRunRow, CheckResultRow, NewAuditRunRow, WebhookAttemptRow } from './schema/index.js';

export type { NewWebhookAttempt, RunListFilter };

export interface RunWithResults {
  run: AuditRunRow;
  results: CheckResultRow[];
}

export interface FinishRun {
  status: Exclude<RunStatus, 'queued' | 'running'>;
  finishedAt: Date;
  cleanup?: CleanupOutcome;
  errorDetail?: string;
}

/**
 * All reads and writes of audit history. Every write also notifies listeners of that run,
 * so event streams follow progress without polling.
 */
export class AuditStore {
  readonly #db: Db;
  readonly #changes = new EventEmitter();
  /** Bodies rendered from finished runs; every write to a run drops its entries. */
  readonly rendered = new RunCache();

  constructor(db: Db) {
    this.#db = db;
    this.#changes.setMaxListeners(0);
  }

  /** Calls `listener` after every write to the run; returns the unsubscribe function. */
  onChange(runId: string, listener: () => void): () => void {
    this.#changes.on(runId, listener);
    return () => this.#changes.off(runId, listener);
  }

  #changed(runId: string): void {
    this.rendered.forget(runId);
    this.#changes.emit(runId);
  }

  createRun(row: NewAuditRunRow): AuditRunRow {
    const run = insertRun(this.#db, row);
    this.#changed(run.id);
    return run;
  }

  markRunning(id: string, at: Date): void {
    updateRun(this.#db, id, { status: 'running', startedAt: at });
    this.#changed(id);
  }

  setServerVersion(id: string, serverVersion: string): void {
    updateRun(this.#db, id, { serverVersion });
    this.#changed(id);
  }

  recordResult(runId: string, result: CheckResult): void {
    insertResult(this.#db, runId, result);
    this.#changed(runId);
  }

  recordEvent(runId: string, event: AuditEvent): AuditEventRow {
    const row = insertEvent(this.#db, runId, event);
    this.#changed(runId);
    return row;
  }

  finishRun(id: string, finish: FinishRun): void {
    updateRun(this.#db, id, {
      status: finish.status,
      finishedAt: finish.finishedAt,
      errorDetail: finish.errorDetail ?? null,
      ...(finish.cleanup
        ? {
            cleanupNamespace: finish.cleanup.namespace ?? null,
            cleanupDeleted: finish.cleanup.deleted,
            cleanupDetail: finish.cleanup.detail ?? null,
          }
        : {}),
    });
    this.#changed(id);
  }

  /** The cleanup's outcome of a run whose verdict was published before its namespace was gone. */
  recordCleanup(id: string, cleanup: CleanupOutcome): void {
    updateRun(this.#db, id, {
      cleanupNamespace: cleanup.namespace ?? null,
      cleanupDeleted: cleanup.deleted,
      cleanupDetail: cleanup.detail ?? null,
    });
    this.#changed(id);
  }

  /**
   * At start-up: whatever a previous process left queued or running can never finish, nor its
   * callback be delivered. A run that was running records what it left (`leftBy`: the namespace,
   * and what becomes of it), so its report says so.
   */
  interruptUnfinished(
    at: Date,
    leftBy?: (run: Pick<AuditRunRow, 'id' | 'options'>) => { namespace: string; detail: string },
  ): string[] {
    const running = this.listRuns({ status: 'running', limit: 10_000 });
    const ids = interruptUnfinishedRuns(this.#db, at);
    abandonPendingCallbacks(this.#db);
    if (leftBy) {
      for (const run of running) {
        const left = leftBy(run);
        updateRun(this.#db, run.id, {
          cleanupNamespace: left.namespace,
          cleanupDeleted: false,
          cleanupDetail: left.detail,
        });
      }
    }
    for (const id of ids) this.#changed(id);
    return ids;
  }

  /** Deletes a run with its results and events; listeners are told so open streams see it gone. */
  deleteRun(id: string): boolean {
    const deleted = deleteRun(this.#db, id);
    if (deleted) this.#changed(id);
    return deleted;
  }

  /** Retention: deletes the finished runs that ended before `cutoff`; returns their ids. */
  deleteFinishedBefore(cutoff: Date): string[] {
    const ids = deleteFinishedBefore(this.#db, cutoff);
    for (const id of ids) this.#changed(id);
    return ids;
  }

  /** One attempt to deliver the run's callback. */
  recordWebhookAttempt(runId: string, attempt: NewWebhookAttempt): void {
    insertWebhookAttempt(this.#db, runId, attempt);
    this.#changed(runId);
  }

  setCallbackState(runId: string, state: CallbackState): void {
    updateRun(this.#db, runId, { callbackState: state });
    this.#changed(runId);
  }

  webhookAttempts(runId: string): WebhookAttemptRow[] {
    return webhookAttemptsOf(this.#db, runId);
  }

  getRun(id: string): AuditRunRow | undefined {
    return findRun(this.#db, id);
  }

  getRunWithResults(id: string): RunWithResults | undefined {
    const run = findRun(this.#db, id);
    return run ? { run, results: resultsOf(this.#db, id) } : undefined;
  }

  getResults(runId: string): CheckResultRow[] {
    return resultsOf(this.#db, runId);
  }

  listRuns(filter: RunListFilter): AuditRunRow[] {
    return listRuns(this.#db, filter);
  }

  listEvents(runId: string, afterSeq = 0): AuditEventRow[] {
    return eventsOf(this.#db, runId, afterSeq);
  }

  /** True when the database accepts a write (takes and releases the write lock). */
  isWritable(): boolean {
    try {
      const sqlite = this.#db.$client;
      sqlite.exec('BEGIN IMMEDIATE');
      sqlite.exec('ROLLBACK');
      return true;
    } catch {
      return false;
    }
  }
}
