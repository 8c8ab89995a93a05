import type { AuditStore, RunWithResults } from '../../db/store.js';
import { ApiError } from '../../http/errors.js';

/** The run with its results, or a 404 problem. */
export function findRunOr404(store: AuditStore, id: string): RunWithResults {
  const found = store.getRunWithResults(id);
  if (!found) throw new ApiError('not_found', { detail: `No audit with id "${id}".` });
  return found;
}
