/**
 * Secrets as kube-apiserver stores them: encoded, transformed by the configured encryption
 * provider, written to etcd at /registry/secrets/<ns>/<name> (a real etcd when given one),
 * with the transformation metrics and the etcd pod's `etcdctl` on top.
 *
 * @example
 * const storage = await createSecretStorage({ provider: 'aescbc', keyName: 'key1', etcd });
 * await storage.onSecretWritten(secret);          // from the API server, after each write
 * storage.metricsText();                          // appended to /metrics
 * await storage.etcdctl(['get', key, '-w', 'json', ...certFlags]); // exec in etcd-<node>
 */
import type { KubeObj } from '../contracts.js';
import { createEtcdKv, type EtcdConnection } from './etcd-kv.js';
import { runEtcdctl } from './etcdctl.js';
import { createMemoryKv, type KvBackend } from './kv.js';
import { createTransformationCounters } from './metrics.js';
import { createProvider, type ProviderName } from './providers.js';
import { encodeSecretForStorage, secretData } from './secret-encoding.js';

export type { ProviderName } from './providers.js';
export { PROVIDER_NAMES } from './providers.js';

export interface SecretStorageOptions {
  provider: ProviderName;
  /** The key (aescbc/aesgcm/secretbox) or KMS provider name in the prefix; default `key1`. */
  keyName?: string;
  /** The 32-byte key (the KMS plugin's key-encryption key for kms); random by default. Tests decrypt with it. */
  key?: Buffer;
  etcd?: EtcdConnection;
  /** kube-apiserver ≤ 1.29 had no `resource` label on the transformation counter; default true. */
  metricsResourceLabel?: boolean;
}

export interface SecretStorage {
  onSecretWritten(secret: KubeObj): Promise<void>;
  onSecretDeleted(namespace: string, name: string): Promise<void>;
  /** Prometheus text for the API server's /metrics ('' until a Secret was written). */
  metricsText(): string;
  /** `etcdctl <args>` as run inside the kubeadm etcd static pod (`stdin`: what `txn` reads). */
  etcdctl(args: string[], stdin?: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** The raw stored value, for tests. */
  storedValue(namespace: string, name: string): Promise<Buffer | undefined>;
  /** Every data value of every Secret written so far, for tests that grep reports for leaks. */
  writtenSecretValues(): Buffer[];
  close(): Promise<void>;
}

export const secretKey = (namespace: string, name: string): string => `/registry/secrets/${namespace}/${name}`;

export function createSecretStorage(options: SecretStorageOptions): SecretStorage {
  const provider = createProvider(options.provider, options.keyName, options.key);
  const kv: KvBackend = options.etcd ? createEtcdKv(options.etcd) : createMemoryKv();
  const counters = createTransformationCounters({ resourceLabel: options.metricsResourceLabel ?? true });
  const seenValues: Buffer[] = [];
  // Writes reach etcd in the order the API server made them.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };

  return {
    onSecretWritten(secret) {
      seenValues.push(...Object.values(secretData(secret)));
      return enqueue(async () => {
        const key = secretKey(secret.metadata.namespace ?? 'default', secret.metadata.name);
        await kv.put(key, provider.toStorage(encodeSecretForStorage(secret), key));
        // One encryption for the write, one decryption when the watch cache reads the event back.
        for (const prefix of provider.metricPrefixes) {
          counters.record('secrets', 'to_storage', prefix);
          counters.record('secrets', 'from_storage', prefix);
        }
      });
    },
    onSecretDeleted(namespace, name) {
      return enqueue(() => kv.delete(secretKey(namespace, name)));
    },
    metricsText: () => counters.text(),
    etcdctl: async (args, stdin) => {
      await queue;
      return runEtcdctl(kv, args, stdin);
    },
    async storedValue(namespace, name) {
      await queue;
      const result = await kv.range({ key: Buffer.from(secretKey(namespace, name)) });
      return result.kvs[0]?.value;
    },
    writtenSecretValues: () => [...seenValues],
    async close() {
      await queue;
      await kv.close();
    },
  };
}
