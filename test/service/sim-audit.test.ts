import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { call, createHarness, type Harness } from './harness.js';

let sim: SimCluster | undefined;
let harness: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await harness?.close();
  await sim?.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function serviceFor(dbPath: string) {
  const clock = { now: () => new Date() };
  return createHarness({
    dbPath,
    executor: createSuiteExecutor({ clock, logger: silentLogger }),
    catalog: suiteCatalog(),
  });
}

describe('a full audit of the simulated cluster, through the HTTP API', () => {
  it('passes the smoke suite on a healthy cluster, leaves no namespace and no credential in the database', async () => {
    sim = await startSimCluster();
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-sim-'));
    dirs.push(dir);
    harness = serviceFor(join(dir, 'kubeproof.db'));

    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: sim.kubeconfig, checks: ['smoke'] },
    });
    expect(created.status, created.text).toBe(202);
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    const failing = run.body.checks.filter((c: { status: string }) => c.status !== 'passed');
    expect(run.body.status, JSON.stringify(failing, null, 2)).toBe('passed');
    expect(run.body.cluster.serverVersion, run.text).toMatch(/^v1\./);
    expect(run.body.cleanup.deleted, run.text).toBe(true);
    expect(sim.store.list('namespaces').filter((ns) => ns.metadata.name.startsWith('kubeproof-'))).toEqual([]);

    const report = await call(harness, 'GET', `${created.body.links.report}?format=markdown`);
    expect(report.text).toContain('| service.loadbalancing | ✅ passed |');

    await harness.close();
    harness = undefined;
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1'));
    for (const content of files) expect(content.includes(sim.token), 'the SQLite file holds the token').toBe(false);
  });

  it('ends in error, not failed, when the credentials are refused', async () => {
    sim = await startSimCluster({ faults: ['token-invalid'] });
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-sim-'));
    dirs.push(dir);
    harness = serviceFor(join(dir, 'kubeproof.db'));
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: sim.kubeconfig, checks: ['preflight'] },
    });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('error');
    expect(run.body.checks[0].id).toBe('preflight.api');
    expect(run.body.checks[0].status).toBe('error');
  });

  it('cancels mid-run: every call aborted, the namespace still deleted, final status cancelled', async () => {
    sim = await startSimCluster();
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-sim-'));
    dirs.push(dir);
    harness = serviceFor(join(dir, 'kubeproof.db'));
    const h = harness;
    const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: sim.kubeconfig, checks: ['smoke'] } });
    // Cancel as soon as the workload is up (a result after it exists), not after a fixed delay.
    await new Promise<void>((resolve) => {
      const check = () => {
        const results = h.store.getRunWithResults(created.body.id)?.results ?? [];
        if (results.some((r) => r.checkId === 'workload.rollout')) {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = h.store.onChange(created.body.id, check);
      check();
    });
    const cancel = await call(h, 'POST', created.body.links.cancel);
    expect(cancel.status, cancel.text).toBe(202);
    await h.runner.whenIdle();
    const run = await call(h, 'GET', created.body.links.self);
    expect(run.body.status, run.text).toBe('cancelled');
    expect(run.body.cleanup.deleted, run.text).toBe(true);
    expect(sim.store.list('namespaces').filter((ns) => ns.metadata.name.startsWith('kubeproof-'))).toEqual([]);
  });
});
