import { StatusError } from '../../store/errors.js';
import { schemasByKind } from './schemas.js';
import { decodeMessage, readFields } from './wire.js';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

// biome-ignore lint/suspicious/noExplicitAny: decoded objects are open JSON
type Json = any;

/** Decodes a `k8s\0`-prefixed protobuf body into the JSON object it stands for. */
export function decodeProtobufObject(body: Buffer): Json {
  if (!body.subarray(0, 4).equals(magic))
    throw new StatusError(
      400,
      'BadRequest',
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  const envelope = readFields(body.subarray(4));
  const typeMeta = readFields(envelope.find((f) => f.field === 1)?.bytes ?? Buffer.alloc(0));
  const apiVersion = typeMeta.find((f) => f.field === 1)?.bytes?.toString('utf8') ?? '';
  const kind = typeMeta.find((f) => f.field === 2)?.bytes?.toString('utf8') ?? '';
  const schema = schemasByKind[`${apiVersion}/${kind}`];
  if (!schema) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the simulated API server cannot decode ${apiVersion}/${kind} from protobuf; send JSON`,
    );
  }
  const raw = envelope.find((f) => f.field === 2)?.bytes ?? Buffer.alloc(0);
  return { apiVersion, kind, ...decodeMessage(raw, schema) };
}
