import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, kubeproofNamespaces, runAudit } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('failures in the middle of a run', () => {
  it('reports a lost API server as error, never failed, and records the cleanup it could not do', async () => {
    const cluster = await startSimCluster();
    sim = cluster;
    const run = await runAudit(cluster, {
      onCheckFinished: (r) => {
        if (r.id === 'workload.rollout') cluster.faults.enable('apiserver-unreachable');
      },
    });

    expect(run.results.get('workload.rollout')?.status, explain(run)).toBe('passed');
    const statuses = [...run.results.values()].map((r) => r.status);
    expect(statuses, explain(run)).not.toContain('failed');
    expect(statuses, explain(run)).toContain('error');
    const unreachable = [...run.results.values()].filter((r) => r.status === 'error');
    for (const r of unreachable) expect(r.hint, `${r.id} has no hint`).toBeTruthy();
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({
      namespace: expect.stringMatching(/^kubeproof-/),
      deleted: false,
      detail: expect.stringContaining('cannot reach the API server'),
    });

    // The namespace is really still there (it carries an expiry for the next audit's sweep).
    cluster.faults.disable('apiserver-unreachable');
    await cluster.settled();
    expect(kubeproofNamespaces(cluster)).toEqual([run.cleanup.namespace]);
  }, 30_000);

  it('ends the rollout as error when the run deadline fires while the workload is being created, and cleans up', async () => {
    const cluster = await startSimCluster();
    sim = cluster;
    const deadline = new AbortController();
    // The run's deadline fires the moment the namespace exists: the Deployment and the rest are not created yet.
    const stopWatching = cluster.store.watch('namespaces', undefined, (event) => {
      if (event.type === 'ADDED' && event.object.metadata.name.startsWith('kubeproof-')) {
        deadline.abort(new Error('run deadline'));
      }
    });
    try {
      const run = await runAudit(cluster, { selection: ['pods.exec'], signal: deadline.signal });
      expect(run.results.get('workload.rollout')?.status, explain(run)).toBe('error');
      expect(run.results.get('pods.exec')?.status, explain(run)).toBe('skipped');
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
      expect(kubeproofNamespaces(cluster)).toEqual([]);
    } finally {
      stopWatching();
    }
  });
});
