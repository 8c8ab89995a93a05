import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

describe('audit lifecycle', () => {
  it('accepts an audit with 202, Location and links, then runs it to passed', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), labels: { pipeline: 'nightly' } },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.status).toBe('queued');
    expect(created.headers.get('location')).toBe(`/v1/audits/${created.body.id}`);
    expect(created.body.links.report).toBe(`/v1/audits/${created.body.id}/report`);

    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.status, run.text).toBe(200);
    expect(run.body.status, run.text).toBe('passed');
    expect(run.body.cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      clusterName: 'test-cluster',
      contextName: 'test',
      serverVersion: 'v1.32.0',
    });
    expect(run.body.summary).toEqual({ total: 5, passed: 5, failed: 0, skipped: 0, error: 0 });
    expect(run.body.checks.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['preflight.api', 'passed'],
      ['workload.rollout', 'passed'],
      ['service.loadbalancing', 'passed'],
      ['dns.service', 'passed'],
      ['secrets.encryption', 'passed'],
    ]);
    expect(run.body.cleanup).toEqual({ namespace: expect.stringMatching(/^kubeproof-/), deleted: true, detail: null });
    expect(run.body.labels).toEqual({ pipeline: 'nightly' });
    expect(run.body.startedAt).not.toBeNull();
    expect(run.body.finishedAt).not.toBeNull();
  });

  it('writes each check result as it finishes, before the run ends', async () => {
    const executor = new ScriptedExecutor(
      [
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'passed' },
        { id: 'dns.service', status: 'passed' },
      ],
      { holdAfter: 2 },
    );
    harness = createHarness({ executor });
    let seenWhileRunning: unknown;
    executor.onHold = (input) => {
      seenWhileRunning = harness.store.getRunWithResults(input.runId)?.results.map((r) => r.checkId);
      harness.runner.cancel(input.runId);
    };
    await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    expect(seenWhileRunning).toEqual(['preflight.api', 'workload.rollout']);
  });

  it('marks the run failed when any check failed, and lists the skipped dependents', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor([
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'failed', summary: 'pods stay Pending' },
        { id: 'dns.service', status: 'skipped', blockedBy: ['workload.rollout'] },
        { id: 'secrets.encryption', status: 'error' },
      ]),
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('failed');
    expect(run.body.summary).toEqual({ total: 4, passed: 1, failed: 1, skipped: 1, error: 1 });
    const dns = run.body.checks.find((c: { id: string }) => c.id === 'dns.service');
    expect(dns.blockedBy).toEqual(['workload.rollout']);
    expect(run.body.checks.find((c: { id: string }) => c.id === 'workload.rollout').hint).toBe('fix workload.rollout');
  });

  it('marks the run error when nothing failed but a check could not tell', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor([
        { id: 'preflight.api', status: 'error', summary: 'cannot create deployments.apps in namespace kubeproof-x' },
      ]),
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('error');
  });

  it('marks the run error with a safe detail when the executor throws', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor(
        [
          { id: 'preflight.api', status: 'passed' },
          { id: 'dns.service', status: 'passed' },
        ],
        {
          throwError: 'boom while talking to the cluster',
        },
      ),
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('error');
    expect(run.body.errorDetail).toContain('boom while talking to the cluster');
  });

  it('accepts the raw kubeconfig as application/yaml with context, checks and labels in the query', async () => {
    const executor = new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }]);
    harness = createHarness({ executor });
    const created = await call(harness, 'POST', '/v1/audits?context=test&checks=preflight,dns.service&label=env=ci', {
      body: kubeconfigYaml({ currentContext: null }),
      headers: { 'content-type': 'application/yaml' },
    });
    expect(created.status, created.text).toBe(202);
    await harness.runner.whenIdle();
    expect(executor.inputs[0]?.selection).toEqual(['preflight', 'dns.service']);
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.labels).toEqual({ env: 'ci' });
  });

  it('records insecure-skip-tls-verify as a warning on the run', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml({ cluster: { 'insecure-skip-tls-verify': true } }) },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.warnings[0]).toContain('insecure-skip-tls-verify');
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.warnings[0], run.text).toContain('insecure-skip-tls-verify');
  });

  it('runs no more audits at once than the concurrency limit, queueing the rest', async () => {
    const executor = new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }], { holdAfter: 0 });
    harness = createHarness({ executor, maxConcurrent: 1 });
    const first = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const second = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    expect((await call(harness, 'GET', first.body.links.self)).body.status).toBe('running');
    expect((await call(harness, 'GET', second.body.links.self)).body.status).toBe('queued');
    executor.onHold = (input) => harness.runner.cancel(input.runId);
    harness.runner.cancel(first.body.id);
    await harness.runner.whenIdle();
    expect((await call(harness, 'GET', second.body.links.self)).body.status).toBe('cancelled');
    expect(executor.inputs.length).toBe(2);
  });
});
