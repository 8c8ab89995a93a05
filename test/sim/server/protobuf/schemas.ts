/** Field numbers from k8s.io/api and apimachinery generated.proto, for the bodies kubectl sends as protobuf. */
import type { Schema } from './wire.js';
import { deploymentSpec, serviceSpec } from './workload-schemas.js';

const ownerReference: Schema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

export const objectMeta: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  11: { name: 'labels', type: 'map', value: 'string' },
  12: { name: 'annotations', type: 'map', value: 'string' },
  13: { name: 'ownerReferences', type: 'message', schema: () => ownerReference, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const meta = { 1: { name: 'metadata', type: 'message', schema: () => objectMeta } } as const satisfies Schema;

const localObjectReference: Schema = { 1: { name: 'name', type: 'string' } };

const resourceAttributes: Schema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};

const nonResourceAttributes: Schema = { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } };

const preconditions: Schema = { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } };

/** Schemas by `apiVersion/kind` as the envelope's TypeMeta names them. */
export const schemasByKind: Record<string, Schema> = {
  'v1/Namespace': {
    ...meta,
    2: { name: 'spec', type: 'message', schema: () => ({ 1: { name: 'finalizers', type: 'string', repeated: true } }) },
  },
  'apps/v1/Deployment': {
    ...meta,
    2: { name: 'spec', type: 'message', schema: () => deploymentSpec(() => objectMeta) },
  },
  'v1/Service': { ...meta, 2: { name: 'spec', type: 'message', schema: () => serviceSpec } },
  'v1/Secret': {
    ...meta,
    2: { name: 'data', type: 'map', value: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map', value: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ConfigMap': {
    ...meta,
    2: { name: 'data', type: 'map', value: 'string' },
    3: { name: 'binaryData', type: 'map', value: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    ...meta,
    2: { name: 'secrets', type: 'message', schema: () => localObjectReference, repeated: true },
    3: { name: 'imagePullSecrets', type: 'message', schema: () => localObjectReference, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    ...meta,
    2: {
      name: 'spec',
      type: 'message',
      schema: () => ({
        1: { name: 'resourceAttributes', type: 'message', schema: () => resourceAttributes },
        2: { name: 'nonResourceAttributes', type: 'message', schema: () => nonResourceAttributes },
      }),
    },
  },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {
    ...meta,
    2: { name: 'spec', type: 'message', schema: () => ({ 1: { name: 'namespace', type: 'string' } }) },
  },
  // k8s.io/api/authentication/v1/generated.proto: kubectl create token and kubectl auth whoami.
  'authentication.k8s.io/v1/TokenRequest': {
    ...meta,
    2: {
      name: 'spec',
      type: 'message',
      schema: () => ({
        1: { name: 'audiences', type: 'string', repeated: true },
        3: {
          name: 'boundObjectRef',
          type: 'message',
          schema: () => ({
            1: { name: 'kind', type: 'string' },
            2: { name: 'apiVersion', type: 'string' },
            3: { name: 'name', type: 'string' },
            4: { name: 'uid', type: 'string' },
          }),
        },
        4: { name: 'expirationSeconds', type: 'int' },
      }),
    },
  },
  'authentication.k8s.io/v1/SelfSubjectReview': { ...meta },
  'v1/DeleteOptions': {
    1: { name: 'gracePeriodSeconds', type: 'int' },
    2: { name: 'preconditions', type: 'message', schema: () => preconditions },
    3: { name: 'orphanDependents', type: 'bool' },
    4: { name: 'propagationPolicy', type: 'string' },
    5: { name: 'dryRun', type: 'string', repeated: true },
  },
  'meta.k8s.io/v1/DeleteOptions': {
    1: { name: 'gracePeriodSeconds', type: 'int' },
    2: { name: 'preconditions', type: 'message', schema: () => preconditions },
    3: { name: 'orphanDependents', type: 'bool' },
    4: { name: 'propagationPolicy', type: 'string' },
    5: { name: 'dryRun', type: 'string', repeated: true },
  },
};
