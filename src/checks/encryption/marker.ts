/** The marker Secret the check writes: a random value that must never be readable in etcd. */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../kube/cluster-access.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../workload/names.js';

export interface Marker {
  secretName: string;
  /** The secret value itself: only ever sent to the API server, never reported. */
  value: string;
  /** Byte strings whose presence in etcd means the value is readable (raw and base64 forms). */
  forms: Buffer[];
}

/** A fresh marker: random Secret name and random value, with the byte forms to look for. */
export function createMarker(): Marker {
  const value = `kubeproof-marker-${randomBytes(16).toString('hex')}`;
  return {
    secretName: `kubeproof-encryption-${randomBytes(4).toString('hex')}`,
    value,
    forms: [Buffer.from(value, 'utf8'), Buffer.from(Buffer.from(value, 'utf8').toString('base64'), 'utf8')],
  };
}

/** The marker as a Secret manifest in the given namespace. */
export function markerSecret(marker: Marker, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: marker.secretName, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    type: 'Opaque',
    data: { marker: Buffer.from(marker.value, 'utf8').toString('base64') },
  };
}

/** Where kube-apiserver stores a Secret in etcd (default `/registry` prefix). */
export const etcdKeyOf = (namespace: string, name: string): string => `/registry/secrets/${namespace}/${name}`;
