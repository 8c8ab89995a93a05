import { describe, expect, it } from 'vitest';
import { readStoredValue } from '../../src/checks/encryption/stored-value.js';

const marker = Buffer.from('kubeproof-marker-0123');
const markers = [marker, Buffer.from(marker.toString('base64'))];
const value = (head: string, tail: Buffer = Buffer.from([0x9a, 0x01, 0xff])) =>
  Buffer.concat([Buffer.from(head, 'latin1'), tail]);

describe('reading a value kube-apiserver stored in etcd', () => {
  it.each([
    ['k8s:enc:aescbc:v1:key1:', 'aescbc', 'key1'],
    ['k8s:enc:aesgcm:v1:rotated-2026:', 'aesgcm', 'rotated-2026'],
    ['k8s:enc:secretbox:v1:sb:', 'secretbox', 'sb'],
    ['k8s:enc:kms:v1:vault:', 'kms-v1', 'vault'],
    ['k8s:enc:kms:v2:aws-kms:', 'kms-v2', 'aws-kms'],
  ])('names the provider and key of %s', (prefix, provider, keyName) => {
    expect(readStoredValue(value(prefix), markers)).toEqual({
      format: 'encrypted',
      provider,
      keyName,
      prefix,
      markerFound: false,
    });
  });

  it('reads the k8s\\0 protobuf form as unencrypted', () => {
    expect(readStoredValue(value('k8s\0\n\x0c\n\x02v1\x12\x06Secret', marker), markers)).toMatchObject({
      format: 'unencrypted',
      provider: 'identity',
      prefix: 'k8s\\0',
      markerFound: true,
    });
  });

  it('reads JSON storage as unencrypted and finds the base64 marker in it', () => {
    const json = `{"kind":"Secret","apiVersion":"v1","data":{"marker":"${marker.toString('base64')}"}}`;
    expect(readStoredValue(Buffer.from(json), markers)).toMatchObject({ format: 'unencrypted', markerFound: true });
  });

  it('finds the marker behind an encryption prefix (a provider that does not encrypt)', () => {
    expect(readStoredValue(value('k8s:enc:aescbc:v1:key1:', marker), markers)).toMatchObject({
      format: 'encrypted',
      markerFound: true,
    });
  });

  it('does not recognise unknown formats, and reports only a bounded prefix', () => {
    expect(readStoredValue(value('k8s:enc:future:v3:k:'), markers)).toMatchObject({
      format: 'unrecognized',
      prefix: 'k8s:enc:future:',
    });
    expect(readStoredValue(Buffer.from('plain text with secrets'), markers)).toMatchObject({
      format: 'unrecognized',
      prefix: '(no known prefix)',
    });
  });
});
