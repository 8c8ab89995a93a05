/**
 * The verdict is published once every check has its result; the run namespace's deletion goes on
 * after it (seconds on a real cluster: the busybox client's `sleep` ignores TERM and takes its
 * whole grace period) and its end is recorded as the run's cleanup, with an event saying when.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { HONOUR_GRACE_PERIODS } from '../sim/controllers/kit/context.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { call, createHarness, type Harness } from './harness.js';

let sim: SimCluster | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  await sim?.stop();
});

describe('verdict before namespace deletion', () => {
  it('reports passed while the namespace is still going, then records the cleanup and when it ended', async () => {
    sim = await startSimCluster({ timings: { podDeletionGraceMs: HONOUR_GRACE_PERIODS } });
    const clock = { now: () => new Date() };
    harness = createHarness({
      executor: createSuiteExecutor({ clock, logger: silentLogger }),
      catalog: suiteCatalog(),
    });
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: sim.kubeconfig, checks: ['workload.rollout', 'pods.exec'] },
    });
    expect(created.status, created.text).toBe(202);
    await harness.runner.whenFinished(created.body.id);
    const atVerdict = await call(harness, 'GET', created.body.links.self);
    expect(atVerdict.body.status, atVerdict.text).toBe('passed');
    expect(atVerdict.body.finishedAt).not.toBeNull();
    expect(atVerdict.body.cleanup, 'not recorded until the namespace is gone').toBeNull();

    await harness.runner.whenIdle();
    const later = await call(harness, 'GET', created.body.links.self);
    expect(later.body.status).toBe('passed');
    expect(later.body.finishedAt).toBe(atVerdict.body.finishedAt);
    expect(later.body.cleanup).toMatchObject({ deleted: true });
    const events = await call(harness, 'GET', created.body.links.events);
    const messages = events.body.items.map((e: { message: string }) => e.message);
    expect(messages).toContain('Audit finished: passed.');
    expect(messages.at(-1)).toMatch(
      /^Cleanup finished \d+\.\d s after the verdict: namespace kubeproof-\w+ is gone\.$/,
    );
    expect(sim.store.list('namespaces').filter((ns) => ns.metadata.name.startsWith('kubeproof-'))).toEqual([]);
  });
});
