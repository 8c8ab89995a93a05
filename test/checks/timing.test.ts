/**
 * Timing: a cluster slower than a budget is "too slow to tell" (`error`, cause `timeout`), never
 * `failed`; budgets stretch from the measured initial rollout time, within a cap, and the
 * result shows them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stillStarting } from '../../src/checks/smoke/shared/slow-start.js';
import { capOf, stretchedBudget } from '../../src/checks/smoke/shared/timings.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, runAudit } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const pod = (name: string, reasons: string[], node = 'worker-1') => ({
  name,
  node,
  ips: [] as string[],
  ready: false,
  restarts: 0,
  reasons,
});

describe('pods still starting at the end of a budget', () => {
  it('a pulling image, a ContainerCreating pod with no failure, or a node being added: still starting', () => {
    expect(
      stillStarting(
        [pod('web-a', ['ContainerCreating']), pod('web-b', ['ContainerCreating']), pod('web-c', [])],
        [
          { reason: 'Pulling', object: 'Pod/web-a', message: 'Pulling image "agnhost"' },
          {
            reason: 'TriggeredScaleUp',
            object: 'Pod/web-c',
            message: 'pod triggered scale-up: [{pool 1->2 (max: 3)}]',
          },
        ],
      ),
    ).toEqual([
      'web-a: image still being pulled on worker-1',
      'web-b: ContainerCreating on worker-1',
      'web-c: a node is being added for it (pod triggered scale-up: [{pool 1->2 (max: 3)}])',
    ]);
  });

  it('a pod failing to start (CNI, image pull error) is not slow: nothing is called still starting', () => {
    const events = [{ reason: 'FailedCreatePodSandBox', object: 'Pod/web-a', message: 'failed to setup network' }];
    expect(stillStarting([pod('web-a', ['ContainerCreating'])], events)).toEqual([]);
    expect(
      stillStarting([pod('web-a', ['ErrImagePull'])], [{ reason: 'Failed', object: 'Pod/web-a', message: 'x' }]),
    ).toEqual([]);
  });

  it('budgets stretch to twice the initial rollout, never below the default, never above the cap', () => {
    expect(stretchedBudget(90_000, undefined).ms).toBe(90_000);
    expect(stretchedBudget(90_000, 10).ms).toBe(90_000);
    expect(stretchedBudget(90_000, 60)).toMatchObject({ ms: 120_000, initialRolloutSeconds: 60 });
    expect(stretchedBudget(90_000, 600).ms).toBe(capOf(90_000));
  });
});

describe('through the simulated cluster', () => {
  it('a replacement pod still starting when the budget ends: controller.selfheal and deployment.scale are error (timeout), not failed', async () => {
    sim = await startSimCluster({});
    const cluster = sim;
    const run = await runAudit(cluster, {
      selection: ['controller.selfheal', 'deployment.scale'],
      timings: { selfHealMs: 1_000, scaleMs: 1_000 },
      // Once the initial rollout is done, every later pod start is slow (a cold mirror).
      onCheckFinished: (r) => {
        if (r.id === 'workload.rollout') cluster.setLatencies({ podStartMs: 120_000 });
      },
    });
    for (const id of ['controller.selfheal', 'deployment.scale']) {
      const r = run.results.get(id);
      expect(r?.status, explain(run)).toBe('error');
      expect(r?.cause, explain(run)).toBe('timeout');
      expect(r?.summary).toMatch(
        /^too slow to tell: .* within the [\d.]+s budget, the cluster is still starting pods: web-/,
      );
      expect(r?.evidence.stillStarting).toContainEqual(expect.stringContaining('ContainerCreating'));
      // The budget may have stretched from a slow initial rollout on a loaded machine; never below the default.
      expect(r?.evidence.budget).toMatchObject({ baseMs: 1_000 });
      expect((r?.evidence.budget as { ms?: number } | undefined)?.ms).toBeGreaterThanOrEqual(1_000);
      expect(r?.evidence.events).toBeDefined();
    }
  });

  it('a slow cluster stretches the budget from the initial rollout time, and the result shows it', async () => {
    sim = await startSimCluster({ latencies: { podStartMs: 1_500 } });
    const run = await runAudit(sim, {
      selection: ['controller.selfheal'],
      timings: { selfHealMs: 1_000, rolloutMs: 10_000 },
    });
    const heal = run.results.get('controller.selfheal');
    expect(heal?.status, explain(run)).toBe('passed');
    const budget = heal?.evidence.budget as { ms: number; initialRolloutSeconds: number };
    expect(budget.initialRolloutSeconds).toBeGreaterThanOrEqual(1.5);
    expect(budget.ms).toBeGreaterThanOrEqual(3_000);
  });
});
