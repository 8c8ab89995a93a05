import { describe, expect, it } from 'vitest';
import { catalogChecks } from '../../src/checks/catalog.js';
import { planChecks } from '../../src/engine/suite/planner.js';
import { planBudgetMs } from '../../src/engine/suite/run-budget.js';
import { createSuiteExecutor } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';

describe('the run deadline covers the sum of the budgets', () => {
  const all = catalogChecks();
  const deadline = (id: string) => all.find((c) => c.id === id)?.deadlineMs ?? 0;

  it('counts the prerequisite chain once and every disruptive check one after the other', () => {
    const smoke = planChecks(['smoke'], all);
    const disruptive = ['controller.selfheal', 'deployment.scale', 'kubelet.restart'].map(deadline);
    const budget = planBudgetMs(smoke);
    expect(budget).toBeGreaterThan(
      deadline('preflight.api') + deadline('workload.rollout') + disruptive.reduce((a, b) => a + b, 0),
    );
    // Non-disruptive checks overlap: far less than the plain sum of every deadline.
    expect(budget).toBeLessThan(smoke.reduce((sum, c) => sum + c.deadlineMs, 0));
  });

  it('is larger than the default 300 s audit deadline for the smoke suite, so kubelet.restart is not squeezed out', () => {
    const executor = createSuiteExecutor({ clock: { now: () => new Date() }, logger: silentLogger });
    expect(executor.budgetMs?.(['smoke'])).toBeGreaterThan(300_000);
    expect(executor.budgetMs?.(['preflight'])).toBeLessThan(executor.budgetMs?.(['smoke']) ?? 0);
  });
});
