/**
 * The few protobuf wire-format pieces kube-apiserver's storage encoding needs: varints,
 * length-delimited fields and maps. Written by hand because the apiserver's gogo-generated
 * marshallers always emit scalar string fields (even empty ones), which generic protobuf
 * libraries skip; matching that keeps the stored bytes the same shape as a real etcd's.
 */

export type Field = Buffer;

export function varint(value: number | bigint): Buffer {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

function tag(fieldNumber: number, wireType: 0 | 2): Buffer {
  return varint((fieldNumber << 3) | wireType);
}

export function varintField(fieldNumber: number, value: number | bigint): Field {
  return Buffer.concat([tag(fieldNumber, 0), varint(value)]);
}

export function bytesField(fieldNumber: number, value: Buffer | string): Field {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([tag(fieldNumber, 2), varint(bytes.length), bytes]);
}

export function messageField(fieldNumber: number, fields: Field[]): Field {
  return bytesField(fieldNumber, Buffer.concat(fields));
}

/** A map field, entries sorted by key as the Go marshallers emit them. */
export function mapField(fieldNumber: number, entries: Record<string, Buffer | string>): Field[] {
  return Object.keys(entries)
    .sort()
    .map((key) => messageField(fieldNumber, [bytesField(1, key), bytesField(2, entries[key] ?? '')]));
}
