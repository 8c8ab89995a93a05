/**
 * A healthy audit of every simulated kind of cluster through the HTTP API (issue 10 acceptance):
 * the run passes, every check green — `secrets.encryption` `skipped` (`not-observable`) on the
 * managed control planes (eks, gke), the only exception — with no option set, on psa-restricted
 * and netpol-default-deny too.
 */
import { describe, expect, it } from 'vitest';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { encryptionTruth } from '../checks/support/profile-matrix.js';
import { PROFILE_NAMES, startSimCluster } from '../sim/index.js';
import { call, createHarness } from './harness.js';

describe.concurrent('a healthy audit of every profile through the HTTP API', { timeout: 120_000 }, () => {
  it.each(PROFILE_NAMES)('%s: the run passes', async (profile) => {
    const sim = await startSimCluster({ profile, encryption: { provider: 'aescbc', keyName: 'key1' } });
    const harness = createHarness({
      executor: createSuiteExecutor({ clock: { now: () => new Date() }, logger: silentLogger }),
      catalog: suiteCatalog(),
    });
    try {
      const created = await call(harness, 'POST', '/v1/audits', {
        json: { kubeconfig: sim.kubeconfig, checks: ['smoke', 'encryption'] },
      });
      expect(created.status, created.text).toBe(202);
      await harness.runner.whenIdle();
      const run = await call(harness, 'GET', created.body.links.self);
      const checks = run.body.checks as Array<{ id: string; status: string; reason?: string }>;
      const notPassed = checks.filter((c) => c.status !== 'passed');
      expect(run.body.status, JSON.stringify(notPassed, null, 1)).toBe('passed');
      // The matrix's truth for the profile: not-observable only where the control plane is managed.
      const expected =
        encryptionTruth(profile) === 'not-observable'
          ? [{ id: 'secrets.encryption', status: 'skipped', reason: 'not-observable' }]
          : [];
      expect(notPassed.map((c) => ({ id: c.id, status: c.status, reason: c.reason }))).toEqual(expected);
      expect(checks.length).toBeGreaterThan(10);
      expect(run.body.cleanup.deleted, run.text).toBe(true);
    } finally {
      await harness.close();
      await sim.stop();
    }
  });
});
