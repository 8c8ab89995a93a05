/**
 * How long a run may need at most: the sum of its checks' deadlines along the longest path the
 * scheduler can take. preflight first; then every non-disruptive check runs as soon as its
 * prerequisites are done (the longest prerequisite chain counts, the rest overlap); disruptive
 * checks run one at a time, after all of them. The runner's deadline is never shorter, so the
 * run's deadline cannot squeeze out a check whose own budget is still running.
 */
import type { CheckDefinition } from '../../checks/types.js';

/** Room for the namespace step and cleanup around the checks. */
const OVERHEAD_MS = 90_000;

export function planBudgetMs(planned: readonly CheckDefinition[]): number {
  const byId = new Map(planned.map((c) => [c.id, c]));
  const finish = new Map<string, number>();
  const chain = (c: CheckDefinition): number => {
    const known = finish.get(c.id);
    if (known !== undefined) return known;
    const start = Math.max(
      0,
      ...c.prerequisites
        .map((p) => byId.get(p))
        .filter((p): p is CheckDefinition => !!p && !p.disruptive)
        .map(chain),
    );
    const end = start + c.deadlineMs;
    finish.set(c.id, end);
    return end;
  };
  const calm = planned.filter((c) => !c.disruptive);
  const disruptive = planned.filter((c) => c.disruptive);
  const calmPath = Math.max(0, ...calm.map(chain));
  return OVERHEAD_MS + calmPath + disruptive.reduce((sum, c) => sum + c.deadlineMs, 0);
}
