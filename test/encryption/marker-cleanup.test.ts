/**
 * The marker Secret leaves nothing in the cluster, though secrets.encryption no longer deletes it
 * itself in the run's own namespace: the engine's deletion of that namespace removes it (from
 * the store and from etcd) on every path — a verdict of passed or failed, a cancel mid-check. In
 * an operator's namespace (`options.namespace`), which nothing deletes, the check deletes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, kubeproofNamespaces, runAudit } from '../checks/support/sim-audit.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import type { ProviderName } from '../sim/storage/index.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function simWith(provider: ProviderName): Promise<SimCluster> {
  sim = await startSimCluster({ encryption: { provider, keyName: 'key1' } });
  return sim;
}

/** Every marker Secret the audit wrote, as `namespace/name`, seen on the store's watch. */
function markersWritten(cluster: SimCluster, onWrite?: () => void) {
  const written: Array<{ namespace: string; name: string }> = [];
  const stop = cluster.store.watch('secrets', undefined, (event) => {
    const { namespace = '', name } = event.object.metadata;
    if (event.type !== 'ADDED' || !name.startsWith('kubeproof-encryption-')) return;
    written.push({ namespace, name });
    onWrite?.();
  });
  return { written, stop };
}

async function expectGone(cluster: SimCluster, markers: ReadonlyArray<{ namespace: string; name: string }>) {
  expect(markers.length, 'the check wrote its marker').toBeGreaterThan(0);
  for (const { namespace, name } of markers) {
    expect(cluster.store.get('secrets', namespace, name), `${namespace}/${name} in the store`).toBeUndefined();
    expect(await cluster.secretStorage.storedValue(namespace, name), `${namespace}/${name} in etcd`).toBeUndefined();
  }
}

const secretDeletes = (cluster: SimCluster) =>
  cluster
    .requestLog()
    .filter((e) => e.verb === 'delete' && /\/secrets\//.test(e.key))
    .map((e) => e.key);

describe('the marker Secret goes with the run namespace', () => {
  for (const [provider, verdict] of [
    ['aescbc', 'passed'],
    ['identity', 'failed'],
  ] as const) {
    it(`${verdict}: no delete of the Secret, and it is gone once the namespace is`, async () => {
      const cluster = await simWith(provider);
      const markers = markersWritten(cluster);
      cluster.resetAccounting();
      try {
        const run = await runAudit(cluster, { selection: ['secrets.encryption'] });
        expect(run.results.get('secrets.encryption')?.status, explain(run)).toBe(verdict);
        expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
        expect(secretDeletes(cluster)).toEqual([]);
        expect(kubeproofNamespaces(cluster)).toEqual([]);
        await expectGone(cluster, markers.written);
      } finally {
        markers.stop();
      }
    });
  }

  it('cancelled right after the marker is written: error, and the marker is gone with the namespace', async () => {
    const cluster = await simWith('aescbc');
    const cancel = new AbortController();
    const markers = markersWritten(cluster, () => cancel.abort(new Error('cancel')));
    try {
      const run = await runAudit(cluster, { selection: ['secrets.encryption'], signal: cancel.signal });
      expect(run.results.get('secrets.encryption')?.status, explain(run)).toBe('error');
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
      expect(kubeproofNamespaces(cluster)).toEqual([]);
      await expectGone(cluster, markers.written);
    } finally {
      markers.stop();
    }
  });
});

describe('in an operator’s namespace (options.namespace)', () => {
  it('deletes its marker itself and leaves the namespace', async () => {
    const cluster = await simWith('aescbc');
    cluster.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-audit' },
    });
    const markers = markersWritten(cluster);
    cluster.resetAccounting();
    try {
      const run = await runAudit(cluster, { selection: ['secrets.encryption'], options: { namespace: 'team-audit' } });
      expect(run.results.get('secrets.encryption')?.status, explain(run)).toBe('passed');
      expect(markers.written.map((m) => m.namespace)).toEqual(['team-audit']);
      expect(secretDeletes(cluster)).toHaveLength(1);
      expect(cluster.store.get('namespaces', undefined, 'team-audit')?.metadata.deletionTimestamp).toBeUndefined();
      await expectGone(cluster, markers.written);
    } finally {
      markers.stop();
    }
  });
});
