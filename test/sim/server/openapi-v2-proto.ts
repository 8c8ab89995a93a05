/**
 * `/openapi/v2` in the protobuf form kubectl asks for (`Accept: application/com.github.proto-
 * openapi.spec.v2@v1.0+protobuf`; client-go discovery OpenAPISchema has no JSON fallback): the
 * Swagger document as gnostic's openapi_v2.Document (google/gnostic openapiv2/OpenAPIv2.proto —
 * Document{swagger 1, info 2, definitions 9}, Info{title 1, version 2}, Definitions and
 * Properties{additional_properties 1: NamedSchema{name 1, value 2}}, Schema{_ref 1, format 2,
 * description 4, default 5, required 19, additional_properties 21, type 22, items 23,
 * properties 25, vendor_extension 31}, NamedAny{name 1, value 2: Any{yaml 2}}).
 *
 * kubectl reads only the definitions from it (`kubectl explain --output plaintext-openapiv2`
 * finds a kind by its `x-kubernetes-group-version-kind` extension), so paths are left out.
 * Schemas are written the Swagger 2.0 way the real server writes them: a `$ref` with its
 * description beside it instead of `allOf`, IntOrString as `type: string, format: int-or-string`.
 */
import { stringify } from 'yaml';
import type { JsonSchema } from './openapi-schemas.js';

/**
 * The media type the response carries (kube-openapi's handler answers with the dotted form:
 * the `@` of the form clients ask with is not a valid MIME token, and client-go's
 * mime.ParseMediaType refuses it in a Content-Type).
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The form client-go's discovery asks for. */
const OPENAPI_V2_PROTOBUF_ASKED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export function acceptsOpenApiV2Protobuf(accept: string): boolean {
  return accept.includes(OPENAPI_V2_PROTOBUF_ASKED) || accept.includes(OPENAPI_V2_PROTOBUF);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

const bytesField = (field: number, payload: Buffer): Buffer =>
  Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
const stringField = (field: number, value: string): Buffer => bytesField(field, Buffer.from(value, 'utf8'));
const boolField = (field: number, value: boolean): Buffer => Buffer.concat([varint(field << 3), varint(value ? 1 : 0)]);

/** Any{yaml: 2}: gnostic keeps non-schema values as YAML text. */
const anyYaml = (value: unknown): Buffer => stringField(2, stringify(value));
const namedAny = (name: string, value: unknown): Buffer =>
  Buffer.concat([stringField(1, name), bytesField(2, anyYaml(value))]);

/** The Swagger 2.0 form of one of our (OpenAPI v3 flavoured) schemas, all the way down. */
export function toSwagger2(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (out.properties)
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, JsonSchema>).map(([k, v]) => [k, toSwagger2(v)]),
    );
  if (out.items) out.items = toSwagger2(out.items);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = toSwagger2(out.additionalProperties);
  if (Array.isArray(out.allOf) && out.allOf.length === 1 && out.allOf[0]?.$ref) {
    out.$ref = out.allOf[0].$ref;
    delete out.allOf;
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.anyOf;
    out.type = 'string';
    out.format = 'int-or-string';
  }
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/components/schemas/', '#/definitions/');
  return out;
}

function encodeSchema(s: JsonSchema): Buffer {
  const parts: Buffer[] = [];
  if (s.$ref) parts.push(stringField(1, s.$ref));
  if (s.format) parts.push(stringField(2, s.format));
  if (s.description) parts.push(stringField(4, s.description));
  if (s.default !== undefined) parts.push(bytesField(5, anyYaml(s.default)));
  for (const r of s.required ?? []) parts.push(stringField(19, r));
  if (s.additionalProperties !== undefined) {
    const item =
      typeof s.additionalProperties === 'boolean'
        ? boolField(2, s.additionalProperties)
        : bytesField(1, encodeSchema(s.additionalProperties));
    parts.push(bytesField(21, item));
  }
  if (s.type) parts.push(bytesField(22, stringField(1, s.type)));
  if (s.items) parts.push(bytesField(23, bytesField(1, encodeSchema(s.items))));
  if (s.properties) {
    const named = Object.entries(s.properties as Record<string, JsonSchema>).map(([name, child]) =>
      bytesField(1, Buffer.concat([stringField(1, name), bytesField(2, encodeSchema(child))])),
    );
    parts.push(bytesField(25, Buffer.concat(named)));
  }
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith('x-')) parts.push(bytesField(31, namedAny(key, value)));
  }
  return Buffer.concat(parts);
}

/** openapi_v2.Document with swagger, info and the definitions. */
export function encodeOpenApiV2(doc: {
  swagger: string;
  info: { title: string; version: string };
  definitions: Record<string, JsonSchema>;
}): Buffer {
  const info = Buffer.concat([stringField(1, doc.info.title), stringField(2, doc.info.version)]);
  const definitions = Object.entries(doc.definitions).map(([name, schema]) =>
    bytesField(1, Buffer.concat([stringField(1, name), bytesField(2, encodeSchema(toSwagger2(schema)))])),
  );
  return Buffer.concat([stringField(1, doc.swagger), bytesField(2, info), bytesField(9, Buffer.concat(definitions))]);
}
