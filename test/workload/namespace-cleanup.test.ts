/**
 * Deleting the run's namespace against the simulated cluster: with the uid its create answered,
 * the delete carries it as a precondition (no read first) and the wait watches from the delete's
 * answer (no list); a namespace of that name with another uid (another run's) is left alone (409);
 * a watch from a version already compacted (410 Gone) falls back to a list; without a uid the
 * run-id label is read first, as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess, KubeObject } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/sanitize.js';
import { deleteRunNamespace } from '../../src/workload/cleanup.js';
import { RUN_ID_LABEL, runIdLabelValue } from '../../src/workload/names.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';

const NS = 'kubeproof-cleanup1';
const RUN = 'run-cleanup-1';

let running: { sim: SimCluster; cluster: ClusterAccess } | undefined;
afterEach(async () => {
  running?.cluster.close();
  await running?.sim.stop();
  running = undefined;
});

async function setUp() {
  const sim = await startSimCluster();
  running = { sim, cluster: createClusterAccess(sanitizeKubeconfig(sim.kubeconfig).kubeconfig) };
  return running;
}

const namespace = (runId: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: NS, labels: { [RUN_ID_LABEL]: runIdLabelValue(runId) } },
});

/** The requests the sim saw about namespaces: `verb key`. */
const namespaceRequests = (s: SimCluster) =>
  s
    .requestLog()
    .filter((e) => e.key.startsWith('/api/v1/namespaces'))
    .map((e) => `${e.verb} ${e.key.split('?')[0]}`);

describe('deleting the run namespace', () => {
  it('with the uid of its create: one delete and one watch, no get and no list; the namespace is gone', async () => {
    const { sim, cluster } = await setUp();
    const made = await cluster.create('namespaces', namespace(RUN));
    sim.resetAccounting();
    const outcome = await deleteRunNamespace(cluster, NS, RUN, 30_000, made.metadata?.uid);
    expect(outcome, JSON.stringify(outcome)).toEqual({ namespace: NS, deleted: true });
    expect(namespaceRequests(sim)).toEqual([`delete /api/v1/namespaces/${NS}`, 'watch /api/v1/namespaces']);
    await expect(cluster.get('namespaces', NS)).rejects.toMatchObject({ kind: 'not-found' });
  }, 60_000);

  it('leaves a namespace of that name with another uid (another run made it since) alone: the API server answers 409', async () => {
    const { sim, cluster } = await setUp();
    const ours = await cluster.create('namespaces', namespace(RUN));
    // Ours went away; another run drew the same name.
    await deleteRunNamespace(cluster, NS, RUN, 30_000, ours.metadata?.uid);
    await cluster.create('namespaces', namespace('run-other-2'));
    sim.resetAccounting();
    const outcome = await deleteRunNamespace(cluster, NS, RUN, 30_000, ours.metadata?.uid);
    expect(outcome).toMatchObject({ namespace: NS, deleted: true, detail: expect.stringMatching(/another run/) });
    // The delete was sent, and refused by the precondition: nothing read, nothing waited for.
    expect(namespaceRequests(sim)).toEqual([`delete /api/v1/namespaces/${NS}`]);
    const theirs = await cluster.get('namespaces', NS);
    expect(theirs.metadata?.deletionTimestamp).toBeUndefined();
  }, 60_000);

  it('lists when the delete’s resourceVersion is already compacted (410 Gone), and still sees the namespace go', async () => {
    const { sim, cluster } = await setUp();
    const made = await cluster.create('namespaces', namespace(RUN));
    const compacting: ClusterAccess = Object.assign(Object.create(cluster) as ClusterAccess, {
      delete: async (...args: Parameters<ClusterAccess['delete']>) => {
        const answer = await cluster.delete(...args);
        // A write after the delete, then history compacted past the delete's resourceVersion.
        await cluster.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'default');
        sim.store.compact(sim.store.resourceVersion());
        return answer;
      },
    });
    sim.resetAccounting();
    const outcome = await deleteRunNamespace(compacting, NS, RUN, 30_000, made.metadata?.uid);
    expect(outcome, JSON.stringify(outcome)).toEqual({ namespace: NS, deleted: true });
    expect(namespaceRequests(sim)).toContain('list /api/v1/namespaces');
    await expect(cluster.get('namespaces', NS)).rejects.toMatchObject({ kind: 'not-found' });
  }, 60_000);

  it('without a uid (the create’s answer was lost) reads the run-id label first and leaves another run’s namespace alone', async () => {
    const { sim, cluster } = await setUp();
    await cluster.create('namespaces', namespace('run-other-2'));
    sim.resetAccounting();
    const outcome = await deleteRunNamespace(cluster, NS, RUN, 30_000);
    expect(outcome).toMatchObject({ deleted: true, detail: expect.stringMatching(/another run/) });
    expect(namespaceRequests(sim)).toEqual([`get /api/v1/namespaces/${NS}`]);
  }, 60_000);
});
