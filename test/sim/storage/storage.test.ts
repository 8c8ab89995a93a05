import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { promisify } from 'node:util';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { type EtcdHandle, startEtcd } from '../etcd-harness.js';
import { createSecretStorage, PROVIDER_NAMES, type ProviderName, type SecretStorage } from './index.js';
import { encodeSecretForStorage } from './secret-encoding.js';

const run = promisify(execFile);
const KEY = Buffer.alloc(32, 7);
const POD_FLAGS = [
  '--endpoints=https://127.0.0.1:2379',
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
  '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key',
];

function secret(namespace: string, name = 'kubernetes-the-hard-way'): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      uid: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      creationTimestamp: '2026-01-11T00:00:00Z',
    },
    type: 'Opaque',
    data: { mykey: Buffer.from('mydata').toString('base64') },
  };
}

/** Reads protobuf length-delimited fields (all kms v2 needs) into number → bytes. */
function protobufFields(bytes: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  let offset = 0;
  const readVarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (offset < bytes.length) {
    const tag = readVarint();
    const length = readVarint();
    if (!fields.has(tag >> 3)) fields.set(tag >> 3, bytes.subarray(offset, offset + length));
    offset += length;
  }
  return fields;
}

function cbcDecrypt(key: Buffer, body: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, body.subarray(0, 16));
  return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]);
}

function gcmDecrypt(key: Buffer, body: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
}

/** Undoes each provider the way kube-apiserver reads the value back. */
function decrypt(provider: ProviderName, stored: Buffer, etcdKey: string): Buffer {
  const afterPrefix = (prefix: string) => {
    expect(stored.subarray(0, prefix.length).toString('latin1')).toBe(prefix);
    return stored.subarray(prefix.length);
  };
  switch (provider) {
    case 'identity':
      return stored;
    case 'aescbc':
      return cbcDecrypt(KEY, afterPrefix('k8s:enc:aescbc:v1:key1:'));
    case 'aesgcm':
      return gcmDecrypt(KEY, afterPrefix('k8s:enc:aesgcm:v1:key1:'), etcdKey);
    case 'secretbox': {
      const body = afterPrefix('k8s:enc:secretbox:v1:key1:');
      const opened = nacl.secretbox.open(body.subarray(24), body.subarray(0, 24), KEY);
      if (!opened) throw new Error('secretbox did not authenticate');
      return Buffer.from(opened);
    }
    case 'kms-v1': {
      const body = afterPrefix('k8s:enc:kms:v1:key1:');
      const length = body.readUInt16BE(0);
      const dek = gcmDecrypt(KEY, body.subarray(2, 2 + length), 'kms-plugin');
      return cbcDecrypt(dek, body.subarray(2 + length));
    }
    case 'kms-v2': {
      const fields = protobufFields(afterPrefix('k8s:enc:kms:v2:key1:'));
      expect(fields.get(2)?.toString()).toBe('sim-kms-kek-1');
      const dek = gcmDecrypt(KEY, fields.get(3) as Buffer, 'kms-plugin');
      return gcmDecrypt(dek, fields.get(1) as Buffer, etcdKey);
    }
  }
}

describe('Secret storage on a real etcd', () => {
  let etcd: EtcdHandle;
  const storages: SecretStorage[] = [];
  const open = (provider: ProviderName) => {
    const storage = createSecretStorage({ provider, keyName: 'key1', key: KEY, etcd });
    storages.push(storage);
    return storage;
  };
  const realEtcdctl = async (args: string[], stdin?: string) => {
    const tls = [
      `--endpoints=${etcd.endpoints[0]}`,
      `--cacert=${etcd.files.ca}`,
      `--cert=${etcd.files.cert}`,
      `--key=${etcd.files.key}`,
    ];
    const running = run('/usr/bin/etcdctl', [...tls, ...args]);
    if (stdin !== undefined) running.child.stdin?.end(stdin);
    return (await running).stdout;
  };

  beforeAll(async () => {
    etcd = await startEtcd({ tls: true });
  });
  afterAll(async () => {
    await Promise.all(storages.map((s) => s.close()));
    await etcd?.stop();
  });

  for (const provider of PROVIDER_NAMES) {
    it(`stores a Secret in the ${provider} format that kube-apiserver reads back`, async () => {
      const storage = open(provider);
      const namespace = `ns-${provider}`;
      await storage.onSecretWritten(secret(namespace));
      const etcdKey = `/registry/secrets/${namespace}/kubernetes-the-hard-way`;
      const stored = (await realEtcdctl(['get', etcdKey, '--print-value-only'])).replace(/\n$/, '');
      const raw = (await storage.storedValue(namespace, 'kubernetes-the-hard-way')) as Buffer;
      expect(raw.toString('utf8'), 'the real etcdctl sees the same value').toBe(stored);
      expect(raw.includes('mydata'), `plaintext presence in ${raw.toString('latin1')}`).toBe(provider === 'identity');
      expect(decrypt(provider, raw, etcdKey).equals(encodeSecretForStorage(secret(namespace)))).toBe(true);
    });
  }

  it('stores identity values as k8s\\0 + runtime.Unknown{v1, Secret} with the data in clear', async () => {
    const storage = open('identity');
    await storage.onSecretWritten(secret('ns-identity-shape'));
    const raw = (await storage.storedValue('ns-identity-shape', 'kubernetes-the-hard-way')) as Buffer;
    expect(raw.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(raw.subarray(4, 18).toString('latin1')).toBe('\n\x0c\n\x02v1\x12\x06Secret');
    expect(raw.subarray(raw.length - 4).toString('latin1')).toBe('\x1a\x00"\x00');
  });

  it('answers etcdctl get -w json in the etcd pod byte for byte like the real etcdctl', async () => {
    const storage = open('aescbc');
    await storage.onSecretWritten(secret('ns-json'));
    await storage.onSecretWritten(secret('ns-json', 'second'));
    for (const extra of [[], ['--prefix'], ['--prefix', '--limit', '1'], ['--prefix', '--keys-only']]) {
      const key = extra.includes('--prefix')
        ? '/registry/secrets/ns-json/'
        : '/registry/secrets/ns-json/kubernetes-the-hard-way';
      const emulated = await storage.etcdctl([...POD_FLAGS, 'get', key, '-w', 'json', ...extra]);
      const real = await realEtcdctl(['get', key, '-w', 'json', ...extra]);
      expect(emulated, `etcdctl ${extra.join(' ')}`).toEqual({ stdout: real, stderr: '', exitCode: 0 });
    }
  });

  it('answers etcdctl txn -w json with gets on stdin byte for byte like the real etcdctl', async () => {
    const storage = open('secretbox');
    await storage.onSecretWritten(secret('ns-txn'));
    await storage.onSecretWritten(secret('ns-txn', 'second'));
    for (const input of [
      '\nget /registry/secrets/ns-txn/second\nget /registry/secrets/ns-txn/ --prefix --limit=1\n\n\n',
      '\nget /registry/secrets/ns-txn/missing\nget /registry/secrets/ns-txn/ --prefix --limit=100\n\n\n',
    ]) {
      const emulated = await storage.etcdctl([...POD_FLAGS, 'txn', '-w', 'json'], input);
      expect(emulated, input).toEqual({
        stdout: await realEtcdctl(['txn', '-w', 'json'], input),
        stderr: '',
        exitCode: 0,
      });
    }
    // Input cut short of its third blank line: etcdctl reads on and meets EOF.
    const early = await storage.etcdctl([...POD_FLAGS, 'txn', '-w', 'json'], '\nget /registry/secrets/ns-txn/second\n');
    expect(early).toEqual({ stdout: '', stderr: 'Error: EOF\n', exitCode: 3 });
  });

  it('answers the simple output formats like the real etcdctl', async () => {
    const storage = open('identity');
    await storage.onSecretWritten({ ...secret('ns-simple'), data: {} });
    const key = '/registry/secrets/ns-simple/';
    for (const extra of [['--prefix', '--keys-only'], ['--prefix']]) {
      const emulated = await storage.etcdctl([...POD_FLAGS, 'get', key, ...extra]);
      expect(emulated.stdout, extra.join(' ')).toBe(await realEtcdctl(['get', key, ...extra]));
    }
  });

  it('removes the key when the Secret is deleted', async () => {
    const storage = open('secretbox');
    await storage.onSecretWritten(secret('ns-delete'));
    await storage.onSecretDeleted('ns-delete', 'kubernetes-the-hard-way');
    expect(await storage.storedValue('ns-delete', 'kubernetes-the-hard-way')).toBeUndefined();
    expect(await realEtcdctl(['get', '/registry/secrets/ns-delete/', '--prefix', '--keys-only'])).toBe('');
  });
});

describe('Secret storage without an etcd', () => {
  it('keeps values in memory so etcdctl in the etcd pod still answers', async () => {
    const storage = createSecretStorage({ provider: 'kms-v2', keyName: 'vault' });
    await storage.onSecretWritten(secret('default'));
    const result = await storage.etcdctl([
      ...POD_FLAGS,
      'get',
      '/registry/secrets/default/kubernetes-the-hard-way',
      '-w',
      'json',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { kvs: Array<{ value: string; version: number }>; count: number };
    expect(
      Buffer.from(parsed.kvs[0]?.value ?? '', 'base64')
        .subarray(0, 22)
        .toString(),
    ).toBe('k8s:enc:kms:v2:vault:\n');
    expect(parsed.count).toBe(1);
    await storage.close();
  });

  it('fails like etcdctl when the certificate paths are wrong or missing', async () => {
    const storage = createSecretStorage({ provider: 'identity' });
    const withFlags = (flags: string[]) =>
      storage.etcdctl([...flags, 'get', '/registry/secrets/default/x', '-w', 'json']);
    expect(await withFlags([...POD_FLAGS.slice(0, 3), '--key=/etc/kubernetes/pki/etcd/client.key'])).toEqual({
      stdout: '',
      stderr: 'Error: open /etc/kubernetes/pki/etcd/client.key: no such file or directory\n',
      exitCode: 128,
    });
    expect(await withFlags([...POD_FLAGS.slice(0, 3), '--key=/etc/kubernetes/pki/etcd/server.key'])).toMatchObject({
      stderr: 'Error: tls: private key does not match public key\n',
      exitCode: 128,
    });
    expect(await withFlags(POD_FLAGS.slice(0, 2))).toMatchObject({
      stderr: 'Error: context deadline exceeded\n',
      exitCode: 1,
    });
    expect(await storage.etcdctl([...POD_FLAGS, 'get', '/x', '--print-value-only', '-w', 'json'])).toMatchObject({
      stderr: 'Error: print-value-only is only for `--write-out=simple`\n',
      exitCode: 128,
    });
  });

  it('counts each write in apiserver_storage_transformation_operations_total as the real apiserver prints it', async () => {
    const storage = createSecretStorage({ provider: 'aescbc', keyName: 'key1' });
    expect(storage.metricsText()).toBe('');
    await storage.onSecretWritten(secret('default'));
    await storage.onSecretWritten(secret('default', 'two'));
    const text = storage.metricsText();
    expect(text).toContain(
      '# HELP apiserver_storage_transformation_operations_total [ALPHA] Total number of transformations.',
    );
    expect(text).toContain('# TYPE apiserver_storage_transformation_operations_total counter\n');
    expect(text).toContain(
      'apiserver_storage_transformation_operations_total{resource="secrets",status="OK",transformation_type="to_storage",transformer_prefix="k8s:enc:aescbc:v1:"} 2\n',
    );
    expect(text).toContain('transformation_type="from_storage",transformer_prefix="key1:"} 2\n');
  });

  it('labels identity writes transformer_prefix="identity" and can drop the resource label like old apiservers', async () => {
    const storage = createSecretStorage({ provider: 'identity', metricsResourceLabel: false });
    await storage.onSecretWritten(secret('default'));
    expect(storage.metricsText()).toContain(
      'apiserver_storage_transformation_operations_total{status="OK",transformation_type="to_storage",transformer_prefix="identity"} 1\n',
    );
  });
});
