import type { CheckDefinition } from '../../checks/types.js';
import { DEFAULT_SELECTION, resolveSelection } from './selection.js';

/** A selection naming an unknown check or group, or a prerequisite cycle. */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/**
 * Selection (check ids and group names) → the checks to run plus everything they need,
 * prerequisites before dependents, in registry order otherwise. Every check depends on the
 * permission review's check, so it is part of every plan, and first.
 * @example
 * planChecks(['dns.service'], catalog) // preflight.api, workload.rollout, pods.exec, pods.cross-node, dns.service
 */
export function planChecks(selection: readonly string[], all: readonly CheckDefinition[]): CheckDefinition[] {
  const names = selection.length > 0 ? selection : DEFAULT_SELECTION;
  const { ids, unknown } = resolveSelection(all, names);
  if (unknown.length > 0) throw new SelectionError(`unknown check or group: ${unknown.join(', ')}`);
  return topologicalOrder(all.filter((c) => ids.includes(c.id)));
}

function topologicalOrder(checks: readonly CheckDefinition[]): CheckDefinition[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const out: CheckDefinition[] = [];
  const visiting: string[] = [];
  const visit = (c: CheckDefinition) => {
    if (out.includes(c)) return;
    if (visiting.includes(c.id)) throw new SelectionError(`prerequisite cycle: ${[...visiting, c.id].join(' → ')}`);
    visiting.push(c.id);
    for (const p of c.prerequisites) {
      const prerequisite = byId.get(p);
      if (prerequisite) visit(prerequisite);
    }
    visiting.pop();
    out.push(c);
  };
  for (const c of checks) visit(c);
  return out;
}
