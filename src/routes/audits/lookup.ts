import type { AuditRunRow } from '../../db/schema/index.js';
import type { AuditStore, RunWithResults } from '../../db/store.js';
import { ApiError } from '../../http/errors.js';

/** The 404 problem every audit route answers for an unknown id. */
export function auditNotFound(id: string): ApiError {
  return new ApiError('not_found', { detail: `No audit with id "${id}".` });
}

/** The run with its results, or a 404 problem. */
export function findRunOr404(store: AuditStore, id: string): RunWithResults {
  const found = store.getRunWithResults(id);
  if (!found) throw auditNotFound(id);
  return found;
}

/** The run alone (no results read), or a 404 problem: for routes that only need its status. */
export function findRunRowOr404(store: AuditStore, id: string): AuditRunRow {
  const run = store.getRun(id);
  if (!run) throw auditNotFound(id);
  return run;
}
