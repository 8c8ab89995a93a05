import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { expectedVector, faultRows } from './support/fault-rows.js';
import { explain, kubeproofNamespaces, runAudit, statusVector, untilSim } from './support/sim-audit.js';

describe('fault matrix: exactly the checks the broken component explains fail', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('passes every check on a healthy cluster', async () => {
    sim = await startSimCluster();
    const run = await runAudit(sim);
    expect(statusVector(run), explain(run)).toEqual(expectedVector({}));
    expect(run.cleanup.deleted, JSON.stringify(run.cleanup)).toBe(true);
    expect(kubeproofNamespaces(sim)).toEqual([]);
  });

  for (const row of faultRows()) {
    it(`${[row.fault, ...(row.also ?? [])].join(' + ')}: ${[...(row.failed ?? []).map((f) => `F ${f}`), ...(row.error ?? []).map((e) => `E ${e}`)].join(', ')}`, async () => {
      const cluster = await startSimCluster({ faults: [row.fault, ...(row.also ?? [])] });
      sim = cluster;
      await row.settle?.(cluster);
      const run = await runAudit(cluster);
      expect(statusVector(run), explain(run)).toEqual(expectedVector(row));
      for (const id of row.warned ?? []) {
        expect(run.results.get(id)?.warnings?.length, `${id} has no warning`).toBeGreaterThan(0);
      }
      for (const r of run.results.values()) {
        if (r.status === 'skipped') expect(r.blockedBy?.length, `${r.id} skipped without blockedBy`).toBeGreaterThan(0);
        if (r.status !== 'passed') expect(r.hint, `${r.id} has no hint`).toBeTruthy();
      }
      if (row.mentions) {
        const failedText = (row.failed ?? [])
          .map((id) => run.results.get(id))
          .map((r) => `${r?.summary} ${r?.hint} ${JSON.stringify(r?.evidence)}`)
          .join('\n');
        expect(failedText).toMatch(row.mentions);
      }
      if (row.blocksNamespaceDeletion) {
        expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({
          deleted: false,
          detail: expect.stringMatching(/still present/),
        });
        cluster.faults.disable(row.fault);
        await untilSim(cluster, 'namespaces', () => kubeproofNamespaces(cluster).length === 0);
      } else {
        expect(run.cleanup.deleted, JSON.stringify(run.cleanup)).toBe(true);
      }
      expect(kubeproofNamespaces(cluster), JSON.stringify(run.cleanup)).toEqual([]);
    });
  }
});
