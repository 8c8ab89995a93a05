/**
 * Reads the first bytes of a value kube-apiserver stored in etcd: which provider wrote it,
 * with which key, and whether the marker is visible anywhere in it. Only the prefix ever
 * leaves this module; the rest of the bytes are looked at, never kept.
 */

export type StoredProvider = 'identity' | 'aescbc' | 'aesgcm' | 'secretbox' | 'kms-v1' | 'kms-v2';

export interface StoredValueReading {
  /** `encrypted`: a `k8s:enc:` provider prefix; `unencrypted`: the `k8s\0` protobuf or JSON form. */
  format: 'encrypted' | 'unencrypted' | 'unrecognized';
  provider?: StoredProvider;
  /** Key name (aescbc/aesgcm/secretbox) or KMS provider name from the prefix. */
  keyName?: string;
  /** Printable form of the prefix only, e.g. `k8s:enc:aescbc:v1:key1:` or `k8s\0`. */
  prefix: string;
  markerFound: boolean;
}

// Key names: printable ASCII without ':' (the separator) or spaces.
const V1_PREFIX = /^k8s:enc:(aescbc|aesgcm|secretbox|kms):v1:([!-9;-~]{1,253}):/;
const KMS_V2_PREFIX = /^k8s:enc:kms:v2:([!-9;-~]{1,253}):/;
const UNKNOWN_ENC_PREFIX = /^k8s:enc:[a-z0-9]{1,32}:/;
const PROTOBUF_MAGIC = 'k8s\x00';

/** Classifies a stored value; `markers` are byte strings that must not appear (plain and base64 forms). */
export function readStoredValue(value: Buffer, markers: readonly Buffer[]): StoredValueReading {
  const markerFound = markers.some((marker) => value.includes(marker));
  const head = value.subarray(0, 300).toString('latin1');
  const v1 = V1_PREFIX.exec(head);
  if (v1) {
    const provider = v1[1] === 'kms' ? 'kms-v1' : (v1[1] as StoredProvider);
    return { format: 'encrypted', provider, keyName: v1[2], prefix: v1[0], markerFound };
  }
  const v2 = KMS_V2_PREFIX.exec(head);
  if (v2) return { format: 'encrypted', provider: 'kms-v2', keyName: v2[1], prefix: v2[0], markerFound };
  if (head.startsWith(PROTOBUF_MAGIC))
    return { format: 'unencrypted', provider: 'identity', prefix: 'k8s\\0', markerFound };
  // --storage-media-type=application/json writes the object as JSON text.
  if (head.startsWith('{')) return { format: 'unencrypted', provider: 'identity', prefix: '{ (JSON)', markerFound };
  const unknown = UNKNOWN_ENC_PREFIX.exec(head);
  return { format: 'unrecognized', prefix: unknown ? unknown[0] : '(no known prefix)', markerFound };
}
