/**
 * A kubelet that dies after the rollout: its node still reads Ready (the node-monitor grace
 * period has not passed), but the API server cannot dial it, so the checks whose pod sits on
 * that node fail and say so — the dial error and the node, not a green result from a kubelet
 * that is not there (issue 9 item 4).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, runAudit } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('a kubelet that goes down mid-run', () => {
  it('fails pods.exec, pods.portforward and pods.logs with the dial error, naming the node', async () => {
    // A long grace period: the nodes stay Ready for the whole run, as in the first 50 s on a real cluster.
    const cluster = await startSimCluster({ timings: { nodeMonitorGraceMs: 600_000 } });
    sim = cluster;
    const run = await runAudit(cluster, {
      selection: ['pods.exec', 'pods.portforward', 'pods.logs'],
      onCheckFinished: (r) => {
        if (r.id !== 'workload.rollout') return;
        for (const node of cluster.store.list('nodes')) cluster.faults.enable(`node-notready:${node.metadata.name}`);
      },
    });
    expect(run.results.get('workload.rollout')?.status, explain(run)).toBe('passed');
    for (const id of ['pods.exec', 'pods.portforward', 'pods.logs']) {
      const r = run.results.get(id);
      expect(r?.status, explain(run)).toBe('failed');
      expect(r?.summary, id).toMatch(/dial tcp 10\.[\d.]+:10250: connect: connection refused/);
      const node = (r?.evidence as { node?: string } | undefined)?.node;
      expect(node, `${id} names the node`).toMatch(/^(worker|control)/);
      expect(r?.hint, id).toMatch(/port 10250/);
    }
    for (const node of cluster.store.list('nodes')) cluster.faults.disable(`node-notready:${node.metadata.name}`);
  }, 60_000);
});
