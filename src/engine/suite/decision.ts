/** Verdicts the engine gives a check without running it. */
import type { CheckDefinition, CheckOutcome } from '../../checks/types.js';
import type { CheckResult } from '../../kernel/results.js';

/** What the engine decided for a check it does not run: the status, its outcome, what blocked it. */
export interface Decision {
  status: CheckResult['status'];
  outcome: CheckOutcome;
  blockedBy?: string[];
}

/** `skipped` (blocked): the checks it depends on did not let it run. */
export function blocked(blockedBy: string[]): Decision {
  return {
    status: 'skipped',
    blockedBy,
    outcome: {
      status: 'skipped',
      reason: 'blocked',
      summary: `not run: ${blockedBy.join(', ')} did not pass`,
      evidence: {},
      hint: `Fix what ${blockedBy.join(', ')} reports first; this check depends on it.`,
    },
  };
}

/** `skipped` (not-run): the run was cancelled or reached its deadline before the check started. */
export const notRun = (): Decision => ({
  status: 'skipped',
  outcome: {
    status: 'skipped',
    reason: 'not-run',
    summary: 'not run: the audit was cancelled or reached its deadline',
    evidence: {},
    hint: 'Re-run the audit.',
  },
});

/** A check's own prerequisites that did not let it run (`satisfied` says which did). */
export function unsatisfied(def: CheckDefinition, satisfied: (id: string) => boolean): Decision | undefined {
  const blockers = def.prerequisites.filter((p) => !satisfied(p));
  return blockers.length ? blocked(blockers) : undefined;
}
