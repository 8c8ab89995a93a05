/** KvBackend on a real etcd v3, reached with a TLS client certificate (as kube-apiserver does). */
import { Etcd3 } from 'etcd3';
import type { KvBackend } from './kv.js';

/**
 * How to reach etcd. PEM fields under either name: `caPem`/`certPem`/`keyPem` (the harness's)
 * or `ca`/`cert`/`key` (the simulation's CLI options). Without a CA the connection is plain.
 */
export interface EtcdConnection {
  endpoints: string[];
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  ca?: string;
  cert?: string;
  key?: string;
}

function credentialsOf(connection: EtcdConnection) {
  const ca = connection.caPem ?? connection.ca;
  const cert = connection.certPem ?? connection.cert;
  const key = connection.keyPem ?? connection.key;
  if (!ca) return {};
  return {
    credentials: {
      rootCertificate: Buffer.from(ca),
      ...(cert ? { certChain: Buffer.from(cert) } : {}),
      ...(key ? { privateKey: Buffer.from(key) } : {}),
    },
  };
}

export function createEtcdKv(connection: EtcdConnection): KvBackend {
  const client = new Etcd3({
    hosts: connection.endpoints,
    ...credentialsOf(connection),
    defaultCallOptions: () => ({ deadline: Date.now() + 5_000 }),
  });
  return {
    async put(key, value) {
      await client.put(key).value(value).exec();
    },
    async delete(key) {
      await client.delete().key(key).exec();
    },
    async range({ key, rangeEnd, limit, keysOnly }) {
      const response = await client.kv.range({
        key,
        ...(rangeEnd ? { range_end: rangeEnd } : {}),
        ...(limit ? { limit } : {}),
        ...(keysOnly ? { keys_only: true } : {}),
      });
      return {
        header: response.header,
        kvs: response.kvs.map((kv) => ({
          key: kv.key,
          create_revision: kv.create_revision,
          mod_revision: kv.mod_revision,
          version: kv.version,
          value: kv.value ?? Buffer.alloc(0),
        })),
        more: response.more,
        count: response.count,
      };
    },
    async close() {
      client.close();
    },
  };
}
