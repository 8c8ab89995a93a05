import type { Catalog, CatalogEntry } from '../kernel/catalog.js';
import type { Guide } from '../kernel/guide.js';
import { DEFAULT_GUIDE } from './guide.js';
import { buildCheckSet } from './index.js';
import { DEFAULT_TIMINGS } from './smoke/shared/timings.js';
import type { CheckDefinition } from './types.js';

/** The check set as static data (no run): what `GET /v1/checks` serves. */
export function catalogChecks(): CheckDefinition[] {
  return buildCheckSet({ timings: DEFAULT_TIMINGS });
}

/** What `GET /v1/checks` shows of one check, with the guide's references for its component. */
export function catalogEntry(def: CheckDefinition, guide: Guide): CatalogEntry {
  return {
    id: def.id,
    title: def.title,
    group: def.group,
    component: def.component,
    references: guide[def.component] ?? [],
    prerequisites: def.prerequisites,
    disruptive: def.disruptive,
    rbac: def.rbac,
  };
}

/**
 * The catalog the app serves and validates selections against.
 * @example
 * const catalog = createCatalog({ guide: loadRunbook(config.runbookPath) });
 * catalog.list().map((c) => c.id);
 */
export function createCatalog(opts: { guide?: Guide } = {}): Catalog {
  const guide = opts.guide ?? DEFAULT_GUIDE;
  const entries = catalogChecks().map((d) => catalogEntry(d, guide));
  return { list: () => entries };
}
