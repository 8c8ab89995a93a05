import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

const script = [
  { id: 'preflight.api', status: 'passed' as const },
  { id: 'workload.rollout', status: 'passed' as const },
  { id: 'dns.service', status: 'passed' as const },
];

describe('cancelling an audit', () => {
  it('aborts the signal of a running audit, still cleans up, and ends cancelled', async () => {
    const executor = new ScriptedExecutor(script, { holdAfter: 1 });
    harness = createHarness({ executor });
    const held = new Promise<void>((resolve) => {
      executor.onHold = () => resolve();
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await held;
    const cancelResponse = await call(harness, 'POST', created.body.links.cancel);
    expect(cancelResponse.status, cancelResponse.text).toBe(202);
    expect(cancelResponse.body.status).toBe('cancelling');
    expect(executor.inputs[0]?.signal.aborted).toBe(true);

    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('cancelled');
    expect(run.body.checks.map((c: { id: string }) => c.id)).toEqual(['preflight.api']);
    expect(run.body.cleanup.deleted).toBe(true);
    expect(executor.cleanedUp).toEqual([created.body.id]);
  });

  it('cancels a queued audit without ever starting it', async () => {
    const executor = new ScriptedExecutor(script, { holdAfter: 0 });
    harness = createHarness({ executor, maxConcurrent: 1 });
    const first = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const second = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const cancelled = await call(harness, 'POST', second.body.links.cancel);
    expect(cancelled.body.status, cancelled.text).toBe('cancelled');
    harness.runner.cancel(first.body.id);
    await harness.runner.whenIdle();
    expect(executor.inputs.map((i) => i.runId)).toEqual([first.body.id]);
    expect((await call(harness, 'GET', second.body.links.self)).body.status).toBe('cancelled');
  });

  it('answers 409 when the audit already ended, and 404 for an unknown id', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const again = await call(harness, 'POST', created.body.links.cancel);
    expect(again.status, again.text).toBe(409);
    expect(again.body.code).toBe('conflict');
    const missing = await call(harness, 'POST', '/v1/audits/nope/cancel');
    expect(missing.status, missing.text).toBe(404);
  });

  it('ends in error when the audit deadline passes, after cleanup', async () => {
    const executor = new ScriptedExecutor(script, { holdAfter: 1 });
    harness = createHarness({ executor, deadlineSeconds: 0.05 });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('error');
    expect(run.body.errorDetail).toContain('deadline');
    expect(executor.cleanedUp).toEqual([created.body.id]);
  });

  it('keeps failed as the verdict when a check failed before the deadline', async () => {
    const executor = new ScriptedExecutor([{ id: 'preflight.api', status: 'failed' }, ...script], { holdAfter: 1 });
    harness = createHarness({ executor, deadlineSeconds: 0.05 });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    expect((await call(harness, 'GET', created.body.links.self)).body.status).toBe('failed');
  });
});
