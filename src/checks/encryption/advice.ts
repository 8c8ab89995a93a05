/**
 * What upstream's "Encrypting Confidential Data at Rest" provider table says about each
 * provider, as advice attached to every result.
 */
import type { StoredProvider } from './stored-value.js';

export interface ProviderAdvice {
  strength: 'strongest' | 'strong' | 'strong-with-rotation' | 'weak' | 'deprecated' | 'none';
  advice: string;
}

export const PROVIDER_ADVICE: Readonly<Record<StoredProvider, ProviderAdvice>> = {
  'kms-v2': {
    strength: 'strongest',
    advice:
      'KMS v2 is the strongest option upstream documents: keys live in an external KMS and data keys are rotated by the plugin. Keep the plugin highly available.',
  },
  secretbox: {
    strength: 'strong',
    advice:
      'secretbox (XSalsa20-Poly1305) is strong; the key sits in the EncryptionConfiguration on the control plane, so protect that file and rotate the key periodically, or move to KMS v2.',
  },
  aesgcm: {
    strength: 'strong-with-rotation',
    advice:
      'aesgcm is only safe with automated key rotation: upstream requires a new key at least every 200,000 writes. Without that automation prefer secretbox or KMS v2.',
  },
  aescbc: {
    strength: 'weak',
    advice:
      'aescbc is considered weak by upstream (vulnerable to padding-oracle attacks); move to secretbox or KMS v2 and re-encrypt existing Secrets.',
  },
  'kms-v1': {
    strength: 'deprecated',
    advice: 'KMS v1 is deprecated (disabled by default since Kubernetes 1.29); migrate to KMS v2.',
  },
  identity: {
    strength: 'none',
    advice:
      'identity means no encryption: add an EncryptionConfiguration with secretbox or KMS v2 first in the providers list, pass it to kube-apiserver with --encryption-provider-config, then rewrite existing Secrets.',
  },
};

/** How to rewrite Secrets so they are stored with the current first provider. */
export const REWRITE_SECRETS_HINT =
  'Secrets written before encryption was enabled stay as they were until rewritten: run `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.';
