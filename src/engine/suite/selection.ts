import { CHECK_GROUPS, type CheckGroup } from '../../kernel/vocabulary.js';

/** What an audit runs when the request names no checks. */
export const DEFAULT_SELECTION: readonly string[] = CHECK_GROUPS;

/** What selection needs to know of a check: the catalog entries and the check definitions both fit. */
export interface Selectable {
  id: string;
  group: CheckGroup;
  prerequisites: readonly string[];
}

export interface ResolvedSelection {
  /** Selected check ids plus every prerequisite, in catalog order. */
  ids: string[];
  /** Names that are neither a check id nor a group. */
  unknown: string[];
}

/**
 * Expands check ids and group names into check ids, adding prerequisites. One function for the
 * intake (validation), `GET /v1/rbac` (what the selection needs) and the planner (what runs).
 * @example resolveSelection(catalog, ['smoke']).ids
 */
export function resolveSelection(catalog: readonly Selectable[], names: readonly string[]): ResolvedSelection {
  const byId = new Map(catalog.map((entry) => [entry.id, entry]));
  const chosen = new Set<string>();
  const unknown: string[] = [];
  const add = (id: string) => {
    if (chosen.has(id)) return;
    const entry = byId.get(id);
    if (!entry) return;
    chosen.add(id);
    for (const prerequisite of entry.prerequisites) add(prerequisite);
  };
  for (const name of names) {
    if (byId.has(name)) add(name);
    else if ((CHECK_GROUPS as readonly string[]).includes(name)) {
      for (const entry of catalog) if (entry.group === name) add(entry.id);
    } else unknown.push(name);
  }
  return { ids: catalog.filter((entry) => chosen.has(entry.id)).map((entry) => entry.id), unknown };
}
