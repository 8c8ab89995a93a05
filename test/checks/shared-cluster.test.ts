import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, kubeproofNamespaces, runAudit, statusVector } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('several audits of one cluster', () => {
  it('runs two audits at once in their own namespaces, both passing and both cleaned up', async () => {
    sim = await startSimCluster();
    const selection = ['pods.exec'];
    const [a, b] = await Promise.all([
      runAudit(sim, { runId: '1a2b3c4d-0000-4000-8000-000000000001', selection }),
      runAudit(sim, { runId: '5e6f7a8b-0000-4000-8000-000000000002', selection }),
    ]);
    for (const run of [a, b]) {
      expect(
        Object.values(statusVector(run)).every((s) => s === 'passed'),
        explain(run),
      ).toBe(true);
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
    }
    expect([a.cleanup.namespace, b.cleanup.namespace].sort()).toEqual(['kubeproof-1a2b3c4d', 'kubeproof-5e6f7a8b']);
    expect(kubeproofNamespaces(sim)).toEqual([]);
  }, 20_000);

  it('never touches a namespace of the same name that another run owns', async () => {
    sim = await startSimCluster();
    const otherRun = '0badcafe-1111-4111-8111-111111111111';
    sim.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'kubeproof-0badcafe',
        labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': otherRun },
        annotations: { 'kubeproof.io/expires-at': new Date(Date.now() + 3600_000).toISOString() },
      },
    });
    const run = await runAudit(sim, { runId: '0badcafe-2222-4222-8222-222222222222', selection: ['pods.exec'] });

    const rollout = run.results.get('workload.rollout');
    expect(rollout?.status, explain(run)).toBe('error');
    expect(rollout?.summary, explain(run)).toContain('kubeproof-0badcafe already exists and belongs to another run');
    expect(run.results.get('pods.exec')?.status, explain(run)).toBe('skipped');
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({
      deleted: true,
      detail: expect.stringContaining('belongs to another run'),
    });
    const survivor = sim.store.get('namespaces', undefined, 'kubeproof-0badcafe');
    expect(survivor?.metadata.deletionTimestamp, 'the other run’s namespace was deleted').toBeUndefined();
    expect(survivor?.metadata.labels?.['kubeproof.io/run-id']).toBe(otherRun);
  });
});
