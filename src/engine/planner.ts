import type { CheckDefinition, CheckGroup } from '../checks/types.js';

export const PREFLIGHT_ID = 'preflight.api';

export interface Plan {
  /** Checks to run, prerequisites before dependents (preflight.api first). */
  checks: readonly CheckDefinition[];
  needsWorkload: boolean;
}

export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/**
 * Selection (check ids and group names) → the checks to run plus everything they need.
 * preflight.api is always part of the plan.
 * @example
 * planChecks(['dns.service'], catalog) // preflight.api, workload.rollout, pods.exec, pods.cross-node, dns.service
 */
export function planChecks(selection: readonly string[], all: readonly CheckDefinition[]): Plan {
  const byId = new Map(all.map((c) => [c.id, c]));
  const groups = new Set<string>(all.map((c) => c.group satisfies CheckGroup));
  const wanted = new Set<string>([PREFLIGHT_ID]);
  const add = (id: string, path: string[]) => {
    if (path.includes(id)) throw new SelectionError(`prerequisite cycle: ${[...path, id].join(' → ')}`);
    const def = byId.get(id);
    if (!def) throw new SelectionError(`unknown check or group: ${id}`);
    for (const p of def.prerequisites) add(p, [...path, id]);
    wanted.add(id);
  };
  for (const item of selection.length ? selection : ['smoke']) {
    if (groups.has(item)) for (const c of all.filter((c) => c.group === item)) add(c.id, []);
    else add(item, []);
  }
  const ordered = topologicalOrder(
    all.filter((c) => wanted.has(c.id)),
    byId,
  );
  return { checks: ordered, needsWorkload: ordered.some((c) => c.needsWorkload) };
}

function topologicalOrder(checks: CheckDefinition[], byId: Map<string, CheckDefinition>): CheckDefinition[] {
  const out: CheckDefinition[] = [];
  const seen = new Set<string>();
  const visit = (c: CheckDefinition) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    for (const p of c.prerequisites) visit(byId.get(p)!);
    out.push(c);
  };
  const preflight = checks.find((c) => c.id === PREFLIGHT_ID);
  if (preflight) visit(preflight);
  for (const c of checks) visit(c);
  return out;
}

/** Every check in the plan that depends (directly or not) on `id`. */
export function dependentsOf(id: string, plan: readonly CheckDefinition[]): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of plan) {
      if (!out.has(c.id) && c.prerequisites.some((p) => p === id || out.has(p))) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return [...out];
}
