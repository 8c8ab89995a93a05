/**
 * The EncryptionConfiguration providers of kube-apiserver, producing the exact value
 * layout each one writes to etcd (prefix + ciphertext). Keys are random per storage
 * instance: nothing reads the values back, only their format matters.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { bytesField, mapField } from './protobuf.js';

export type ProviderName = 'identity' | 'aescbc' | 'aesgcm' | 'secretbox' | 'kms-v1' | 'kms-v2';

export const PROVIDER_NAMES: readonly ProviderName[] = [
  'identity',
  'aescbc',
  'aesgcm',
  'secretbox',
  'kms-v1',
  'kms-v2',
];

export interface Provider {
  name: ProviderName;
  /** `transformer_prefix` label values recorded per write: the provider's, then the key's sub-prefix if nested. */
  metricPrefixes: string[];
  /** Value written to etcd for an unencrypted storage value at `etcdKey`. */
  toStorage(plain: Buffer, etcdKey: string): Buffer;
}

function aesCbc(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv); // PKCS#7 padding is Node's default
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

/** nonce(12) + ciphertext + tag(16), with the etcd key as additional authenticated data. */
function aesGcm(key: Buffer, plain: Buffer, aad: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function secretbox(key: Buffer, plain: Buffer): Buffer {
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  return Buffer.concat([nonce, Buffer.from(nacl.secretbox(plain, nonce, key))]);
}

/** Our stand-in KMS plugin (whose key-encryption key is the configured key): it wraps data keys with its key-encryption key (opaque to the apiserver). */
function kmsWrap(kek: Buffer, dek: Buffer): Buffer {
  return aesGcm(kek, dek, 'kms-plugin');
}

const KMS_KEY_ID = 'sim-kms-kek-1';

function prefixed(prefix: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), body]);
}

/** The provider configured first in the EncryptionConfiguration (the one used for writes). */
export function createProvider(name: ProviderName, keyName = 'key1', key: Buffer = randomBytes(32)): Provider {
  switch (name) {
    case 'identity':
      return { name, metricPrefixes: ['identity'], toStorage: (plain) => plain };
    case 'aescbc':
    case 'aesgcm':
    case 'secretbox': {
      const top = `k8s:enc:${name}:v1:`;
      const seal = {
        aescbc: (plain: Buffer) => aesCbc(key, plain),
        aesgcm: (plain: Buffer, etcdKey: string) => aesGcm(key, plain, etcdKey),
        secretbox: (plain: Buffer) => secretbox(key, plain),
      }[name];
      // Nested prefix transformers: the provider's prefix, then one per key (`key1:`); both record metrics.
      return {
        name,
        metricPrefixes: [top, `${keyName}:`],
        toStorage: (plain, etcdKey) => prefixed(`${top}${keyName}:`, seal(plain, etcdKey)),
      };
    }
    case 'kms-v1': {
      const top = `k8s:enc:kms:v1:${keyName}:`;
      return {
        name,
        metricPrefixes: [top],
        toStorage: (plain) => {
          const dek = randomBytes(32);
          const wrapped = kmsWrap(key, dek);
          const length = Buffer.alloc(2);
          length.writeUInt16BE(wrapped.length);
          return prefixed(top, Buffer.concat([length, wrapped, aesCbc(dek, plain)]));
        },
      };
    }
    case 'kms-v2': {
      const top = `k8s:enc:kms:v2:${keyName}:`;
      return {
        name,
        metricPrefixes: [top],
        toStorage: (plain, etcdKey) => {
          const dek = randomBytes(32);
          // EncryptedObject{encryptedData=1, keyID=2, encryptedDEKSource=3, annotations=4};
          // encryptedDEKSourceType=5 is AES_GCM_KEY (0), which proto3 leaves out.
          const encryptedObject = Buffer.concat([
            bytesField(1, aesGcm(dek, plain, etcdKey)),
            bytesField(2, KMS_KEY_ID),
            bytesField(3, kmsWrap(key, dek)),
            ...mapField(4, { 'kms.kubernetes.io/plugin': 'kubeproof-sim' }),
          ]);
          return prefixed(top, encryptedObject);
        },
      };
    }
  }
}
