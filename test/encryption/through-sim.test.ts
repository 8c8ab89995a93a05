/**
 * secrets.encryption end to end: the real ClusterAccess against the simulated cluster,
 * whose Secrets land in a real etcd (TLS client-certificate auth) in each provider's format.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { type EtcdHandle, startEtcd } from '../sim/etcd-harness.js';
import { type FaultSpec, type SimCluster, startSimCluster } from '../sim/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../sim/storage/index.js';
import { etcdAccessOf, runEncryptionCheck } from './run-check.js';

let etcd: EtcdHandle;
let sim: SimCluster | undefined;
let cluster: ClusterAccess | undefined;

beforeAll(async () => {
  etcd = await startEtcd({ tls: true });
});
afterEach(async () => {
  cluster?.close();
  await sim?.stop();
  sim = undefined;
});
afterAll(async () => {
  await etcd?.stop();
});

async function simWith(
  provider: ProviderName,
  faults: FaultSpec[] = [],
  serverVersion?: string,
): Promise<{ cluster: ClusterAccess; namespace: string }> {
  sim = await startSimCluster({
    encryption: { provider, keyName: 'key1' },
    etcd: { endpoints: etcd.endpoints, ca: etcd.caPem, cert: etcd.certPem, key: etcd.keyPem },
    faults,
    latencies: { podStartMs: 5, endpointDelayMs: 5 },
    ...(serverVersion ? { serverVersion } : {}),
  });
  cluster = createClusterAccess(sanitizeKubeconfig(sim.kubeconfig).kubeconfig);
  const namespace = `kubeproof-${provider}-${Math.random().toString(16).slice(2, 8)}`;
  await cluster.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  return { cluster, namespace };
}

describe.each(['etcd-direct', 'etcd-exec', 'apiserver-metrics'] as const)(
  'secrets.encryption through the simulated cluster (%s)',
  (strategy) => {
    for (const provider of PROVIDER_NAMES) {
      const verdict = provider === 'identity' ? 'failed' : 'passed';
      it(`reports ${provider} as ${verdict} with provider and key`, async () => {
        const { cluster: access, namespace } = await simWith(provider);
        const { outcome } = await runEncryptionCheck(access, { strategy, namespace, etcd: etcdAccessOf(etcd) });
        const body = JSON.stringify(outcome, null, 1);
        expect(outcome.status, body).toBe(verdict);
        expect(outcome.evidence, body).toMatchObject({
          strategy,
          provider,
          keyName: provider === 'identity' ? null : 'key1',
        });
      });
    }
  },
);

describe('secrets.encryption through the simulated cluster: the key and the sample in one etcdctl txn', () => {
  // v1.29 speaks v4.channel.k8s.io at most (no close signal): stdin is never closed, so both work.
  for (const serverVersion of ['v1.32.4', 'v1.29.8']) {
    it(`one exec with the requests on stdin (${serverVersion})`, async () => {
      const { cluster: access, namespace } = await simWith('aesgcm', [], serverVersion);
      const existing = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'existing' }, data: { a: 'YQ==' } };
      await access.create('secrets', existing, namespace);
      sim?.resetAccounting();
      const { outcome } = await runEncryptionCheck(access, { strategy: 'etcd-exec', namespace });
      const body = JSON.stringify(outcome, null, 1);
      expect(outcome.status, body).toBe('passed');
      expect(outcome.evidence, body).toMatchObject({ strategy: 'etcd-exec', provider: 'aesgcm', keyName: 'key1' });
      // The sample holds the Secrets etcd has, `existing` at least (the marker left out).
      const sample = outcome.evidence.existingSecrets as { sampled: number; limit: number };
      expect(sample.limit, body).toBe(100);
      expect(sample.sampled, body).toBeGreaterThan(0);
      const execs = (sim?.requestLog() ?? []).filter((e) => /\/exec\?/.test(e.key));
      expect(execs.map((e) => e.key)).toEqual([expect.stringMatching(/command=txn.*stdin=true/)]);
    });
  }
});

describe('secrets.encryption through the simulated cluster when access is missing', () => {
  // client-node's exec is a WebSocket upgrade, authorized as `get` on v1.32 (as RequestInfo maps a GET).
  it('gives error with the reason when exec into the etcd pod is forbidden', async () => {
    const { cluster: access, namespace } = await simWith('aescbc', ['rbac-missing:get:pods/exec']);
    const { outcome } = await runEncryptionCheck(access, { strategy: 'etcd-exec', namespace });
    expect(outcome.status, JSON.stringify(outcome)).toBe('error');
    expect(outcome.summary).toMatch(
      /etcd-exec unavailable: exec of etcdctl in kube-system\/etcd-controlplane failed: forbidden \(403\)/,
    );
  });

  it('gives error with the real 403 reason, never passed, when GET /metrics is forbidden', async () => {
    const { cluster: access, namespace } = await simWith('aescbc', ['rbac-missing:get:/metrics']);
    const { outcome } = await runEncryptionCheck(access, { strategy: 'apiserver-metrics', namespace });
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toBe(
      'could not tell whether Secrets are encrypted at rest: apiserver-metrics unavailable: GET /metrics failed: forbidden (403): forbidden: User "kubeproof" cannot get path "/metrics"',
    );
    expect(outcome.evidence.attempts, body).toEqual([
      {
        strategy: 'apiserver-metrics',
        outcome: 'unavailable',
        reason: 'GET /metrics failed: forbidden (403): forbidden: User "kubeproof" cannot get path "/metrics"',
        why: 'denied',
      },
    ]);
    expect(outcome.status === 'error' && outcome.cause, body).toBe('permission');
  });

  it('records the forbidden /metrics in auto mode and ends on the flags, labelled indirect, never on the metrics', async () => {
    const { cluster: access, namespace } = await simWith('aescbc', [
      'rbac-missing:get:pods/exec',
      'rbac-missing:get:/metrics',
    ]);
    const { outcome } = await runEncryptionCheck(access, { strategy: 'auto', namespace });
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.evidence, body).toMatchObject({ strategy: 'apiserver-flags', indirect: true });
    expect(outcome.evidence.attempts, body).toContainEqual({
      strategy: 'apiserver-metrics',
      outcome: 'unavailable',
      reason: 'GET /metrics failed: forbidden (403): forbidden: User "kubeproof" cannot get path "/metrics"',
      why: 'denied',
    });
  });

  it('falls back from a forbidden exec to the metrics in auto mode', async () => {
    const { cluster: access, namespace } = await simWith('secretbox', ['rbac-missing:get:pods/exec']);
    const { outcome } = await runEncryptionCheck(access, { strategy: 'auto', namespace });
    expect(outcome.status, JSON.stringify(outcome)).toBe('passed');
    expect(outcome.evidence).toMatchObject({ strategy: 'apiserver-metrics', provider: 'secretbox', indirect: true });
  });
});

describe('secrets.encryption through the simulated cluster (apiserver-flags)', () => {
  it('fails, labelled indirect, when kube-apiserver runs without --encryption-provider-config', async () => {
    const { cluster: access, namespace } = await simWith('identity');
    const { outcome } = await runEncryptionCheck(access, { strategy: 'apiserver-flags', namespace });
    expect(outcome.status, JSON.stringify(outcome)).toBe('failed');
    expect(outcome.summary).toContain('without --encryption-provider-config on kube-apiserver-controlplane');
  });

  // Needs test/sim/index.ts to pass `encryption: provider !== 'identity'` to bootstrapCluster.
  it('passes, labelled configuration-only, when kube-apiserver has --encryption-provider-config', async () => {
    const { cluster: access, namespace } = await simWith('aescbc');
    const { outcome } = await runEncryptionCheck(access, { strategy: 'apiserver-flags', namespace });
    expect(outcome.status, JSON.stringify(outcome)).toBe('passed');
    expect(outcome.summary).toContain('indirect evidence: kube-apiserver flags');
  });
});
