import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

const script = [
  { id: 'preflight.api', status: 'passed' as const },
  { id: 'workload.rollout', status: 'passed' as const },
];

async function submit(h: Harness) {
  const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
  expect(created.status, created.text).toBe(202);
  return created.body as { id: string; links: { self: string; events: string } };
}

describe('runner shutdown (what SIGTERM does)', () => {
  it('aborts a running audit, lets its cleanup run, and marks it interrupted', async () => {
    const executor = new ScriptedExecutor(script, { holdAfter: 1 });
    harness = createHarness({ executor });
    const held = new Promise<void>((resolve) => {
      executor.onHold = () => resolve();
    });
    const running = await submit(harness);
    await held;

    await harness.runner.shutdown();

    expect(executor.inputs[0]?.signal.aborted).toBe(true);
    expect(executor.cleanedUp).toEqual([running.id]);
    const run = await call(harness, 'GET', running.links.self);
    expect(run.body.status, run.text).toBe('interrupted');
    expect(run.body.errorDetail, run.text).toContain('shutting down');
    expect(run.body.cleanup, run.text).toMatchObject({ deleted: true });
    expect(run.body.checks.map((c: { id: string }) => c.id)).toEqual(['preflight.api']);
  });

  it('marks audits still queued as interrupted at once, without starting them', async () => {
    const executor = new ScriptedExecutor(script, { holdAfter: 0 });
    harness = createHarness({ executor, maxConcurrent: 1 });
    await submit(harness);
    const queued = await submit(harness);

    await harness.runner.shutdown();

    expect(executor.inputs).toHaveLength(1);
    const run = await call(harness, 'GET', queued.links.self);
    expect(run.body.status, run.text).toBe('interrupted');
    expect(run.body.errorDetail, run.text).toContain('never started');
    expect(run.body.finishedAt, run.text).not.toBeNull();
  });

  it('answers new audits with 503 once shutting down', async () => {
    harness = createHarness();
    await harness.runner.shutdown();
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code, res.text).toBe('unavailable');
    expect(res.body.detail, res.text).toContain('shutting down');
  });
});

describe('a cleanup that does not complete', () => {
  it('is recorded on the run and in its events, not thrown away', async () => {
    const detail = 'namespace still present after 60000 ms (no answer within 60000 ms)';
    harness = createHarness({
      executor: new ScriptedExecutor(script, { cleanup: { deleted: false, detail } }),
    });
    const created = await submit(harness);
    await harness.runner.whenIdle();

    const run = await call(harness, 'GET', created.links.self);
    expect(run.body.status, run.text).toBe('passed');
    expect(run.body.cleanup, run.text).toEqual({
      namespace: expect.stringMatching(/^kubeproof-/),
      deleted: false,
      detail,
    });
    const events = await call(harness, 'GET', created.links.events);
    const warning = events.body.items.find((e: { message: string }) => e.message.includes('was not deleted'));
    expect(warning, events.text).toMatchObject({ level: 'warn' });
    expect(warning.message, events.text).toContain(detail);

    const report = await call(harness, 'GET', `/v1/audits/${created.id}/report?format=markdown`);
    expect(report.text).toContain('NOT deleted');
  });
});
