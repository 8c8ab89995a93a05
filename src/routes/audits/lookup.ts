import type { AuditRunRow } from '../../db/schema/index.js';
import type { AuditStore, RunWithResults } from '../../db/store.js';
import { ApiError } from '../../http/errors.js';
import { mayAccess, type Tenant } from '../../http/tenants.js';

/** The 404 problem every audit route answers for an unknown id. */
export function auditNotFound(id: string): ApiError {
  return new ApiError('not_found', { detail: `No audit with id "${id}".` });
}

/**
 * The run with its results, or a 404 problem. Another tenant's run is a 404 too (not 403):
 * whether an id exists is itself not told to a tenant that does not own it.
 */
export function findRunOr404(store: AuditStore, id: string, principal: Tenant | undefined): RunWithResults {
  const found = store.getRunWithResults(id);
  if (!found || !mayAccess(principal, found.run.owner)) throw auditNotFound(id);
  return found;
}

/** The run alone (no results read), or a 404 problem (unknown, or another tenant's). */
export function findRunRowOr404(store: AuditStore, id: string, principal: Tenant | undefined): AuditRunRow {
  const run = store.getRun(id);
  if (!run || !mayAccess(principal, run.owner)) throw auditNotFound(id);
  return run;
}
