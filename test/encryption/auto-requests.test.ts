/**
 * What secrets.encryption asks of the API server in `auto` mode, per strategy path, and that the
 * requests it saves change no verdict: the metrics strategy's first scrape is skipped when a
 * stronger strategy expects to answer (etcd access configured, the etcd static pod found); if the
 * metrics strategy is reached after all, it scrapes then and watches a second marker write.
 */
import { describe, expect, it } from 'vitest';
import type { EncryptionStrategy } from '../../src/checks/options.js';
import { createSecretStorage, type ProviderName } from '../sim/storage/index.js';
import { createFakeCluster, type FakeClusterOptions } from './fake-cluster.js';
import { runEncryptionCheck } from './run-check.js';

const LIST_ETCD = 'list pods kube-system component=etcd,tier=control-plane';

async function audit(
  provider: ProviderName,
  cluster: Omit<FakeClusterOptions, 'storage'> = {},
  strategy: EncryptionStrategy = 'auto',
) {
  const storage = createSecretStorage({ provider, keyName: 'key1' });
  const fake = createFakeCluster({ storage, ...cluster });
  const { outcome } = await runEncryptionCheck(fake.cluster, { strategy, namespace: 'kubeproof-run' });
  const calls = fake.calls.map((c) => c.replace(/kubeproof-encryption-[0-9a-f]+/, 'MARKER'));
  return { outcome, calls, body: JSON.stringify({ outcome, calls }, null, 1) };
}

describe('auto mode on the etcd-exec path (the etcd static pod found)', () => {
  for (const [provider, verdict] of [
    ['aescbc', 'passed'],
    ['identity', 'failed'],
  ] as const) {
    it(`${verdict}: looks the pod up before the write, never scrapes /metrics`, async () => {
      const { outcome, calls, body } = await audit(provider);
      expect(outcome.status, body).toBe(verdict);
      expect(outcome.evidence.strategy, body).toBe('etcd-exec');
      expect(calls, body).toEqual([
        LIST_ETCD,
        'create secrets kubeproof-run/MARKER',
        'exec kube-system/etcd-controlplane etcdctl',
      ]);
    });
  }
});

describe('auto mode when the etcd-exec strategy fails after all (exec refused)', () => {
  for (const [provider, verdict] of [
    ['secretbox', 'passed'],
    ['identity', 'failed'],
  ] as const) {
    it(`${verdict} from the metrics, as before: first scrape after the write, then a second marker to watch`, async () => {
      const { outcome, calls, body } = await audit(provider, { faults: ['rbac-missing:create:pods/exec'] });
      expect(outcome.status, body).toBe(verdict);
      expect(outcome.evidence, body).toMatchObject({
        strategy: 'apiserver-metrics',
        provider,
        keyName: provider === 'identity' ? null : 'key1',
        watchedWrite: { namespace: 'kubeproof-run', name: expect.stringMatching(/^kubeproof-encryption-[0-9a-f]+-2$/) },
      });
      expect(calls, body).toEqual([
        LIST_ETCD,
        'create secrets kubeproof-run/MARKER',
        'exec kube-system/etcd-controlplane etcdctl',
        'get /metrics',
        'create secrets kubeproof-run/MARKER-2',
        'get /metrics',
      ]);
    });
  }

  it('is error, never failed, when the second marker cannot be written and nothing else answers', async () => {
    const storage = createSecretStorage({ provider: 'identity' });
    const fake = createFakeCluster({
      storage,
      faults: ['rbac-missing:create:pods/exec'],
      staticPods: { etcd: true, apiserver: false },
    });
    let creates = 0;
    const cluster = {
      ...fake.cluster,
      create: async (...args: Parameters<typeof fake.cluster.create>) => {
        if (++creates > 1) throw new Error('quota exceeded');
        return fake.cluster.create(...args);
      },
    };
    const { outcome } = await runEncryptionCheck(cluster, { namespace: 'kubeproof-run' });
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain(
      'apiserver-metrics unavailable: writing a second marker Secret after the first /metrics scrape failed',
    );
  });
});

describe('auto mode without an etcd static pod', () => {
  it('scrapes /metrics before the write, as before, and writes one marker', async () => {
    const { outcome, calls, body } = await audit('aesgcm', { staticPods: { etcd: false, apiserver: true } });
    expect(outcome.status, body).toBe('passed');
    expect(outcome.evidence.strategy, body).toBe('apiserver-metrics');
    expect(outcome.evidence.watchedWrite, body).toBeUndefined();
    expect(calls, body).toEqual([LIST_ETCD, 'get /metrics', 'create secrets kubeproof-run/MARKER', 'get /metrics']);
  });
});

describe('a chosen strategy', () => {
  it('apiserver-metrics keeps its first scrape before the write', async () => {
    const { outcome, calls, body } = await audit('aescbc', {}, 'apiserver-metrics');
    expect(outcome.status, body).toBe('passed');
    expect(calls, body).toEqual(['get /metrics', 'create secrets kubeproof-run/MARKER', 'get /metrics']);
  });

  it('etcd-exec asks what it asked before, one etcdctl txn for the key and the sample', async () => {
    const { outcome, calls, body } = await audit('aescbc', {}, 'etcd-exec');
    expect(outcome.status, body).toBe('passed');
    expect(calls.toSorted(), body).toEqual(
      [LIST_ETCD, 'create secrets kubeproof-run/MARKER', 'exec kube-system/etcd-controlplane etcdctl'].toSorted(),
    );
  });
});

describe('in an operator’s namespace', () => {
  it('deletes both markers when the metrics strategy wrote a second one', async () => {
    const storage = createSecretStorage({ provider: 'aescbc' });
    const fake = createFakeCluster({ storage, faults: ['rbac-missing:create:pods/exec'] });
    const { outcome } = await runEncryptionCheck(fake.cluster, { sharedNamespace: 'team-audit' });
    expect(outcome.status, JSON.stringify(outcome)).toBe('passed');
    const created = fake.calls.filter((c) => c.startsWith('create secrets ')).map((c) => c.slice('create '.length));
    const deleted = fake.calls.filter((c) => c.startsWith('delete secrets ')).map((c) => c.slice('delete '.length));
    expect(created).toHaveLength(2);
    expect(deleted).toEqual(created);
  });
});
