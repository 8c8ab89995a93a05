import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncryptionStrategy } from '../../src/checks/options.js';
import { type EtcdHandle, startEtcd } from '../sim/etcd-harness.js';
import { createSecretStorage, PROVIDER_NAMES, type ProviderName, type SecretStorage } from '../sim/storage/index.js';
import { createAuthority } from '../sim/storage/pki.js';
import { createFakeCluster, type FakeClusterOptions } from './fake-cluster.js';
import { encryptionSecrets, findLeaks } from './leaks.js';
import { etcdAccessOf, type RunOptions, runEncryptionCheck } from './run-check.js';

let etcd: EtcdHandle;
const storages: SecretStorage[] = [];
let namespaces = 0;

beforeAll(async () => {
  etcd = await startEtcd({ tls: true });
});
afterAll(async () => {
  await Promise.all(storages.map((s) => s.close()));
  await etcd?.stop();
});

function storageFor(provider: ProviderName, keyName = 'key1'): SecretStorage {
  const storage = createSecretStorage({ provider, keyName, etcd });
  storages.push(storage);
  return storage;
}

async function audit(
  provider: ProviderName,
  strategy: EncryptionStrategy,
  cluster: Omit<FakeClusterOptions, 'storage'> = {},
  withEtcd = true,
) {
  const storage = storageFor(provider, provider.startsWith('kms') ? 'vault-kms' : 'key1');
  const fake = createFakeCluster({ storage, ...cluster });
  const namespace = `kubeproof-run-${++namespaces}`;
  const result = await runEncryptionCheck(fake.cluster, {
    strategy,
    namespace,
    ...(withEtcd ? { etcd: etcdAccessOf(etcd) } : {}),
  });
  return { ...result, storage, fake, namespace, body: JSON.stringify(result.outcome, null, 1) };
}

/** A managed control plane as kubeproof sees it: no etcd access, no static pods, /metrics denied. */
function onManagedControlPlane(run: Pick<RunOptions, 'required' | 'serverVersion'>) {
  const fake = createFakeCluster({
    storage: storageFor('aescbc'),
    faults: ['rbac-missing:get:/metrics'],
    staticPods: { etcd: false, apiserver: false },
  });
  return runEncryptionCheck(fake.cluster, { namespace: `kubeproof-run-${++namespaces}`, ...run });
}

const expectedKey = (provider: ProviderName) =>
  provider === 'identity' ? null : provider.startsWith('kms') ? 'vault-kms' : 'key1';

describe.each(['etcd-direct', 'etcd-exec'] as const)('secrets.encryption reading raw etcd bytes (%s)', (strategy) => {
  for (const provider of PROVIDER_NAMES) {
    const verdict = provider === 'identity' ? 'failed' : 'passed';
    it(`reports ${provider} as ${verdict}, naming the provider and key`, async () => {
      const { outcome, body } = await audit(provider, strategy);
      expect(outcome.status, body).toBe(verdict);
      expect(outcome.evidence, body).toMatchObject({
        strategy,
        evidenceKind: 'direct',
        provider,
        keyName: expectedKey(provider),
        markerFound: provider === 'identity',
      });
      // A passed check keeps its warnings: the weak provider is said even though the check is green.
      const weak = provider === 'aescbc' || provider === 'aesgcm' || provider === 'kms-v1';
      const weakWarnings = (outcome.warnings ?? []).filter((w) => w.startsWith('weak provider'));
      if (verdict === 'passed') expect(weakWarnings, body).toEqual(weak ? [expect.stringContaining(provider)] : []);
    });
  }

  it('fails identity storage, where the raw value holds the plaintext marker', async () => {
    const { outcome, storage, namespace, body } = await audit('identity', strategy, { keepDeletedSecrets: true });
    const secret = outcome.evidence.secret as { name: string };
    const raw = (await storage.storedValue(namespace, secret.name)) ?? Buffer.alloc(0);
    const [marker] = storage.writtenSecretValues();
    expect(marker && raw.includes(marker), 'the stored bytes contain the marker').toBe(true);
    expect(outcome.summary, body).toMatch(
      /not encrypted at rest: the stored value is the unencrypted k8s\\0 form and contains the marker/,
    );
    expect(outcome.evidence.storedPrefix).toBe('k8s\\0');
    expect(outcome.hint, body).toContain('kubectl get secrets --all-namespaces -o json | kubectl replace -f -');
  });

  it('leaves the marker Secret to the run namespace’s deletion (see marker-cleanup.test.ts)', async () => {
    const { outcome, fake, body } = await audit('secretbox', strategy);
    expect(outcome.status, body).toBe('passed');
    expect(fake.calls.filter((c) => c.startsWith('delete '))).toEqual([]);
  });

  it('deletes the marker Secret itself in an operator’s namespace, which nothing deletes', async () => {
    const storage = storageFor('secretbox');
    const fake = createFakeCluster({ storage });
    const { outcome } = await runEncryptionCheck(fake.cluster, {
      strategy,
      sharedNamespace: 'team-audit',
      etcd: etcdAccessOf(etcd),
    });
    const secret = outcome.evidence.secret as { namespace: string; name: string };
    expect(secret.namespace).toBe('team-audit');
    expect(fake.calls.filter((c) => c.startsWith('delete '))).toEqual([`delete secrets team-audit/${secret.name}`]);
    expect(await storage.storedValue('team-audit', secret.name)).toBeUndefined();
  });
});

describe('secrets.encryption from kube-apiserver metrics (indirect)', () => {
  for (const provider of PROVIDER_NAMES) {
    const verdict = provider === 'identity' ? 'failed' : 'passed';
    it(`reports ${provider} as ${verdict}, labelled indirect`, async () => {
      const { outcome, body } = await audit(provider, 'apiserver-metrics');
      expect(outcome.status, body).toBe(verdict);
      expect(outcome.evidence, body).toMatchObject({
        evidenceKind: 'indirect',
        indirect: true,
        provider,
        keyName: expectedKey(provider),
      });
      expect(outcome.summary, body).toContain('indirect evidence: kube-apiserver metrics');
      if (verdict === 'passed') expect(outcome.warnings?.[0], body).toMatch(/^indirect evidence: .*not seen/);
    });
  }

  it('is unavailable, not passed, when the apiserver prints no transformation series', async () => {
    const storage = createSecretStorage({ provider: 'aescbc' });
    const fake = createFakeCluster({ storage });
    // An apiserver without EncryptionConfiguration: the Secret write records nothing.
    const quiet = {
      ...fake.cluster,
      rawGet: async () => '# TYPE apiserver_request_total counter\n',
      create: async (_r: string, o: object) => o,
    };
    const { outcome } = await runEncryptionCheck(quiet as typeof fake.cluster, { strategy: 'apiserver-metrics' });
    expect(outcome.status, JSON.stringify(outcome)).toBe('error');
    expect(outcome.summary).toContain('apiserver-metrics unavailable: after the Secret write the metric is absent');
  });

  it('still judges an old kube-apiserver without the resource label, and says the count may mix resources', async () => {
    const storage = createSecretStorage({ provider: 'secretbox', metricsResourceLabel: false });
    const { outcome } = await runEncryptionCheck(createFakeCluster({ storage }).cluster, {
      strategy: 'apiserver-metrics',
    });
    expect(outcome.status, JSON.stringify(outcome)).toBe('passed');
    expect(outcome.summary).toContain('no resource label');
    expect(outcome.evidence.resourceLabel).toBe(false);
  });
});

describe('secrets.encryption from kube-apiserver flags (indirect)', () => {
  it('passes, labelled configuration-only, when --encryption-provider-config is set', async () => {
    const { outcome, body } = await audit('aescbc', 'apiserver-flags');
    expect(outcome.status, body).toBe('passed');
    expect(outcome.summary, body).toContain('indirect evidence: kube-apiserver flags');
    expect(outcome.summary, body).toContain(
      '--encryption-provider-config (kube-apiserver-controlplane: /etc/kubernetes/enc/config.yaml)',
    );
  });

  it('fails when kube-apiserver runs without --encryption-provider-config', async () => {
    const { outcome, body } = await audit('identity', 'apiserver-flags', { encryptionProviderConfig: null });
    expect(outcome.status, body).toBe('failed');
    expect(outcome.summary, body).toContain('without --encryption-provider-config on kube-apiserver-controlplane');
  });
});

async function closedPort(): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('secrets.encryption when a strategy cannot see anything', () => {
  it('gives error, naming etcd as unreachable, when etcd-direct is forced and etcd does not answer', async () => {
    const storage = storageFor('identity');
    const { outcome } = await runEncryptionCheck(createFakeCluster({ storage }).cluster, {
      strategy: 'etcd-direct',
      etcd: { ...etcdAccessOf(etcd), endpoints: [`https://127.0.0.1:${await closedPort()}`] },
    });
    expect(outcome.status, JSON.stringify(outcome)).toBe('error');
    expect(outcome.summary).toMatch(/etcd-direct unavailable: etcd at https:\/\/127\.0\.0\.1:\d+ could not be read/);
  });

  it('gives error, not a crash, when the etcd client key does not match its certificate', async () => {
    const storage = storageFor('aescbc');
    const wrongKey = (await (await createAuthority('other')).issue({ commonName: 'x', usage: 'client' })).keyPem;
    const { outcome } = await runEncryptionCheck(createFakeCluster({ storage }).cluster, {
      strategy: 'etcd-direct',
      etcd: { ...etcdAccessOf(etcd), keyData: wrongKey },
    });
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toMatch(
      /etcd-direct unavailable: etcd at https:\/\/127\.0\.0\.1:\d+ could not be read: .*key values mismatch/,
    );
    expect(findLeaks(body, encryptionSecrets({ keyPem: wrongKey }, []))).toEqual([]);
  });

  it('gives error when etcd-direct is forced without etcd credentials', async () => {
    const { outcome, body } = await audit('aescbc', 'etcd-direct', {}, false);
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain('no etcd endpoints and client certificate were given');
  });

  it('gives error when exec into the etcd pod is forbidden', async () => {
    const { outcome, body } = await audit('identity', 'etcd-exec', { faults: ['rbac-missing:create:pods/exec'] });
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain('exec of etcdctl in kube-system/etcd-controlplane failed: forbidden (403)');
  });

  it('gives error when there is no etcd static pod', async () => {
    const { outcome, body } = await audit('identity', 'etcd-exec', { staticPods: { etcd: false, apiserver: true } });
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain('no etcd static pod (component=etcd) in kube-system');
  });

  it('gives error when /metrics is forbidden', async () => {
    const { outcome, body } = await audit('identity', 'apiserver-metrics', { faults: ['rbac-missing:get:/metrics'] });
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain('apiserver-metrics unavailable: GET /metrics failed: forbidden (403)');
  });

  it('gives error when there is no kube-apiserver static pod', async () => {
    const { outcome, body } = await audit('identity', 'apiserver-flags', {
      staticPods: { etcd: true, apiserver: false },
    });
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toContain('no kube-apiserver static pod');
  });

  it('in auto mode on a managed control plane (no etcd access, no static pods, /metrics denied): skipped, not observable, never passed', async () => {
    const { outcome, body } = await audit(
      'aescbc',
      'auto',
      { faults: ['rbac-missing:get:/metrics'], staticPods: { etcd: false, apiserver: false } },
      false,
    );
    expect(outcome.status, body).toBe('skipped');
    expect(outcome.status === 'skipped' && outcome.reason, body).toBe('not-observable');
    expect((outcome.evidence.attempts as Array<{ strategy: string }>).map((a) => a.strategy)).toEqual([
      'etcd-direct',
      'etcd-exec',
      'apiserver-metrics',
      'apiserver-flags',
    ]);
    // Names what to check instead: each provider's encryption setting when the provider is unknown.
    expect(outcome.hint, body).toContain('EKS envelope encryption');
    expect(outcome.hint, body).toContain('GKE application-layer secrets encryption');
    expect(outcome.hint, body).toContain('AKS KMS');
    expect(outcome.hint, body).toContain('options.encryption.etcd');
  });

  it('names only the provider the server version gives away', async () => {
    const { outcome } = await onManagedControlPlane({ serverVersion: 'v1.29.3-eks-adc7111' });
    expect(outcome.status).toBe('skipped');
    expect(outcome.summary).toContain("EKS's managed control plane");
    expect(outcome.hint).toContain('aws eks describe-cluster');
    expect(outcome.hint).not.toContain('gcloud');
  });

  it('is error (cause not-observable) on a managed control plane when options.encryption.required is set', async () => {
    const { outcome } = await onManagedControlPlane({ required: true });
    expect(outcome.status).toBe('error');
    expect(outcome.status === 'error' && outcome.cause).toBe('not-observable');
    expect(outcome.summary).toContain('options.encryption.required');
  });

  it('is error (cause permission), not "not observable", when kubeproof may not even look for the static pods', async () => {
    const { outcome, body } = await audit(
      'aescbc',
      'auto',
      { faults: ['rbac-missing:get:/metrics', 'rbac-missing:list:pods'] },
      false,
    );
    expect(outcome.status, body).toBe('error');
    expect(outcome.status === 'error' && outcome.cause, body).toBe('permission');
    expect(outcome.hint, body).toContain('options.encryption.etcd');
  });
});

describe('secrets.encryption in auto mode', () => {
  it('uses the strongest strategy available: etcd-direct when credentials are given', async () => {
    const { outcome, body, fake, namespace } = await audit('kms-v2', 'auto');
    expect(outcome.evidence.strategy, body).toBe('etcd-direct');
    expect(outcome.status, body).toBe('passed');
    // Configured etcd access is expected to answer: no etcd pod lookup, no /metrics scrape.
    const secret = outcome.evidence.secret as { name: string };
    expect(fake.calls, body).toEqual([`create secrets ${namespace}/${secret.name}`]);
  });

  it('falls back to metrics when etcd is not given and exec is forbidden, and says so', async () => {
    const { outcome, body } = await audit('aesgcm', 'auto', { faults: ['rbac-missing:create:pods/exec'] }, false);
    expect(outcome.status, body).toBe('passed');
    expect(outcome.evidence, body).toMatchObject({
      strategy: 'apiserver-metrics',
      attempts: [
        { strategy: 'etcd-direct', outcome: 'unavailable' },
        { strategy: 'etcd-exec', outcome: 'unavailable' },
        { strategy: 'apiserver-metrics', outcome: 'used' },
      ],
    });
  });

  it.each(['etcd-direct', 'etcd-exec'] as const)(
    'counts existing Secrets still stored unencrypted, by metadata only (%s)',
    async (strategy) => {
      const legacy = storageFor('identity');
      const legacyValues = ['old-password-1', 'old-password-2'];
      for (const [i, value] of legacyValues.entries()) {
        await legacy.onSecretWritten({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `legacy-${i}`, namespace: 'aaa-legacy' },
          data: { password: Buffer.from(value).toString('base64') },
        });
      }
      const { outcome, body } = await audit('secretbox', strategy);
      expect(outcome.status, body).toBe('passed');
      const sample = outcome.evidence.existingSecrets as {
        unencrypted: number;
        unencryptedExamples: string[];
        byPrefix: Record<string, number>;
      };
      expect(sample.unencrypted, body).toBeGreaterThanOrEqual(2);
      expect(sample.unencryptedExamples, body).toEqual(
        expect.arrayContaining(['aaa-legacy/legacy-0', 'aaa-legacy/legacy-1']),
      );
      expect(outcome.summary, body).toMatch(/\d+ of \d+ sampled existing Secrets are still stored unencrypted/);
      expect(outcome.hint, body).toContain('kubectl replace');
      for (const value of legacyValues) expect(body).not.toContain(value);
    },
  );
});

describe('secrets.encryption keeps secrets out of its result', () => {
  const forbiddenStrings = (storage: SecretStorage) => encryptionSecrets(etcd, storage.writtenSecretValues());

  for (const [label, strategy, provider] of [
    ['a failing etcd-direct read', 'etcd-direct', 'identity'],
    ['a failing etcd-exec read', 'etcd-exec', 'identity'],
    ['a passing etcd-direct read', 'etcd-direct', 'aesgcm'],
  ] as const) {
    it(`never reports or logs the etcd client key, the marker or its base64 (${label})`, async () => {
      const { outcome, logs, storage } = await audit(provider, strategy);
      const everything = JSON.stringify({ outcome, logs });
      for (const secret of forbiddenStrings(storage))
        expect(everything.includes(secret), `leaked ${secret.slice(0, 12)}…`).toBe(false);
    });
  }

  it('does not leak the key material in an unreachable-etcd error', async () => {
    const storage = storageFor('identity');
    const { outcome, logs } = await runEncryptionCheck(
      createFakeCluster({ storage, staticPods: { etcd: false, apiserver: false } }).cluster,
      {
        etcd: { ...etcdAccessOf(etcd), endpoints: [`https://127.0.0.1:${await closedPort()}`] },
        strategy: 'auto',
      },
    );
    const everything = JSON.stringify({ outcome, logs });
    expect(findLeaks(everything, forbiddenStrings(storage))).toEqual([]);
  });
});
