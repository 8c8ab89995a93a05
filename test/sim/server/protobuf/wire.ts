/**
 * Decoding of Kubernetes' protobuf request bodies (`application/vnd.kubernetes.protobuf`):
 * kubectl's typed clients send them (create namespace, auth can-i, ...). The envelope is
 * `k8s\0` + runtime.Unknown{typeMeta=1, raw=2}; `raw` is the object in the field numbers of
 * k8s.io/api's generated.proto, described by the schemas in schemas.ts.
 */

export type FieldSpec =
  | { name: string; type: 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'intOrString'; repeated?: boolean }
  | { name: string; type: 'message'; schema: () => Schema; repeated?: boolean }
  | { name: string; type: 'map'; value: 'string' | 'bytes' | 'quantity' };

export type Schema = Record<number, FieldSpec>;

interface RawField {
  field: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos.i++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}

export function readFields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const tag = Number(readVarint(buf, pos));
    const field = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, wire, varint: readVarint(buf, pos) });
    else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      out.push({ field, wire, bytes: buf.subarray(pos.i, pos.i + len) });
      pos.i += len;
    } else if (wire === 1) pos.i += 8;
    else if (wire === 5) pos.i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: decoded objects are open JSON
type Json = any;

function mapValue(kind: 'string' | 'bytes' | 'quantity', v: Buffer): string {
  if (kind === 'bytes') return v.toString('base64');
  // resource.Quantity travels as a message whose field 1 is its string form.
  if (kind === 'quantity')
    return (
      readFields(v)
        .find((f) => f.field === 1)
        ?.bytes?.toString('utf8') ?? ''
    );
  return v.toString('utf8');
}

function isZero(value: Json): boolean {
  return value === '' || value === 0 || value === false || value === null || value === undefined;
}

function decodeTime(buf: Buffer): string | null {
  const seconds = readFields(buf).find((f) => f.field === 1)?.varint ?? 0n;
  if (seconds === 0n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeScalar(spec: FieldSpec, raw: RawField): Json {
  switch (spec.type) {
    case 'string':
      return raw.bytes?.toString('utf8') ?? '';
    case 'bytes':
      return (raw.bytes ?? Buffer.alloc(0)).toString('base64');
    case 'int':
      return Number(BigInt.asIntN(64, raw.varint ?? 0n));
    case 'bool':
      return raw.varint === 1n;
    case 'time':
      return decodeTime(raw.bytes ?? Buffer.alloc(0));
    case 'intOrString': {
      // intstr.IntOrString{type=1 (0 Int, 1 String), intVal=2, strVal=3}
      const f = readFields(raw.bytes ?? Buffer.alloc(0));
      const isString = f.find((x) => x.field === 1)?.varint === 1n;
      return isString
        ? (f.find((x) => x.field === 3)?.bytes?.toString('utf8') ?? '')
        : Number(f.find((x) => x.field === 2)?.varint ?? 0n);
    }
    case 'message':
      return decodeMessage(raw.bytes ?? Buffer.alloc(0), spec.schema());
    default:
      return undefined;
  }
}

export function decodeMessage(buf: Buffer, schema: Schema): Json {
  const out: Json = {};
  for (const raw of readFields(buf)) {
    const spec = schema[raw.field];
    if (!spec) continue;
    if (spec.type === 'map') {
      const entry = readFields(raw.bytes ?? Buffer.alloc(0));
      const k = entry.find((f) => f.field === 1)?.bytes?.toString('utf8') ?? '';
      const v = entry.find((f) => f.field === 2)?.bytes ?? Buffer.alloc(0);
      out[spec.name] ??= {};
      out[spec.name][k] = mapValue(spec.value, v);
    } else if (spec.repeated) {
      out[spec.name] ??= [];
      out[spec.name].push(decodeScalar(spec, raw));
    } else {
      // Go's protobuf writes zero values; JSON from the same object would have omitted them.
      const value = decodeScalar(spec, raw);
      if (!isZero(value)) out[spec.name] = value;
    }
  }
  return out;
}
