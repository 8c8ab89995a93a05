/**
 * A Secret serialized the way kube-apiserver writes it to etcd before any encryption:
 * `k8s\0` + runtime.Unknown{typeMeta{v1, Secret}, raw = protobuf Secret, "", ""}.
 * This is what the `identity` provider stores, so a Secret's plaintext bytes appear in it.
 */
import type { KubeObj, ObjectMeta } from '../contracts.js';
import { bytesField, type Field, mapField, messageField, varintField } from './protobuf.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

function timeFields(iso: string | undefined): Field[] {
  const ms = iso ? Date.parse(iso) : 0;
  return [varintField(1, Math.floor(ms / 1000)), varintField(2, 0)];
}

function objectMeta(meta: ObjectMeta): Field[] {
  const fields: Field[] = [
    bytesField(1, meta.name ?? ''),
    bytesField(2, meta.generateName ?? ''),
    bytesField(3, meta.namespace ?? ''),
    bytesField(4, ''),
    bytesField(5, meta.uid ?? ''),
    // The apiserver clears resourceVersion before writing: etcd's mod_revision is the version.
    bytesField(6, ''),
    varintField(7, meta.generation ?? 0),
    messageField(8, timeFields(meta.creationTimestamp)),
  ];
  if (meta.deletionTimestamp) fields.push(messageField(9, timeFields(meta.deletionTimestamp)));
  if (meta.deletionGracePeriodSeconds !== undefined) fields.push(varintField(10, meta.deletionGracePeriodSeconds));
  fields.push(...mapField(11, meta.labels ?? {}), ...mapField(12, meta.annotations ?? {}));
  for (const owner of meta.ownerReferences ?? []) {
    const ref = [
      bytesField(1, owner.kind),
      bytesField(3, owner.name),
      bytesField(4, owner.uid),
      bytesField(5, owner.apiVersion),
    ];
    if (owner.controller !== undefined) ref.push(varintField(6, owner.controller ? 1 : 0));
    if (owner.blockOwnerDeletion !== undefined) ref.push(varintField(7, owner.blockOwnerDeletion ? 1 : 0));
    fields.push(messageField(13, ref));
  }
  for (const finalizer of meta.finalizers ?? []) fields.push(bytesField(14, finalizer));
  return fields;
}

/** The Secret's data as bytes: `data` is base64 on the wire; `stringData` is merged into it. */
export function secretData(secret: KubeObj): Record<string, Buffer> {
  const data: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>)) {
    data[key] = Buffer.from(value, 'base64');
  }
  for (const [key, value] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) {
    data[key] = Buffer.from(value, 'utf8');
  }
  return data;
}

function secretMessage(secret: KubeObj): Buffer {
  const fields: Field[] = [
    messageField(1, objectMeta(secret.metadata)),
    ...mapField(2, secretData(secret)),
    bytesField(3, (secret.type as string | undefined) ?? 'Opaque'),
  ];
  if (typeof secret.immutable === 'boolean') fields.push(varintField(5, secret.immutable ? 1 : 0));
  return Buffer.concat(fields);
}

/** The unencrypted storage value of a Secret (what `identity` writes to etcd). */
export function encodeSecretForStorage(secret: KubeObj): Buffer {
  const unknown = Buffer.concat([
    messageField(1, [bytesField(1, 'v1'), bytesField(2, 'Secret')]),
    bytesField(2, secretMessage(secret)),
    bytesField(3, ''),
    bytesField(4, ''),
  ]);
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}
