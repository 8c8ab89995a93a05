import { resolveSelection } from '../engine/suite/selection.js';
import { ApiError } from '../http/errors.js';
import type { Catalog } from '../kernel/catalog.js';

/**
 * A request's selection → its check ids with every prerequisite, or the one `unknown_checks`
 * problem (the audit intake and `GET /v1/rbac` answer a bad selection alike).
 */
export function selectedChecks(catalog: Catalog, names: readonly string[]): string[] {
  const { ids, unknown } = resolveSelection(catalog.list(), names);
  if (unknown.length > 0) {
    throw new ApiError('unknown_checks', {
      detail: `Unknown check ids or groups: ${unknown.join(', ')}. GET /v1/checks lists the valid ones.`,
      unknown,
    });
  }
  return ids;
}
