/**
 * Server-side field validation (`?fieldValidation=Strict|Warn|Ignore`, GA in v1.27) for creates
 * and updates with a JSON body. kubectl's default `--validate=strict` sends `Strict` once the
 * server's OpenAPI v3 lists the parameter (ours does); absent means `Warn`.
 * - Strict: unknown fields refuse the request, 400 BadRequest `<Kind> in version "<v>" cannot be
 *   handled as a <Kind>: strict decoding error: unknown field "<path>", ...` (apiserver
 *   handlers/create.go + the strict JSON decoder's messages; the text is the one kubectl users see,
 *   e.g. `ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error:
 *   unknown field "invalid"`).
 * - Warn: the request succeeds with one `Warning: 299 - "unknown field \"<path>\""` header per
 *   field (kubectl prints `Warning: unknown field "<path>"`), and the fields are dropped.
 * - Ignore: dropped silently, as decoding into the Go struct drops them.
 * Protobuf bodies cannot carry unknown fields. Which fields are known: known-fields.ts.
 * Patches are not validated (their error texts differ per patch type; not simulated).
 */
import type { ServerResponse } from 'node:http';
import { badRequest, invalid } from '../store/errors.js';
import type { ResourceDef } from '../store/resources.js';
import { pruneUnknownFields, unknownFieldPaths } from './known-fields.js';
import type { RequestInfo } from './request-info.js';

const DIRECTIVES = ['Ignore', 'Warn', 'Strict'] as const;
type Directive = (typeof DIRECTIVES)[number];

function directiveOf(info: RequestInfo, options: 'CreateOptions' | 'UpdateOptions'): Directive {
  const raw = info.query.get('fieldValidation') ?? '';
  if (raw === '') return 'Warn';
  if ((DIRECTIVES as readonly string[]).includes(raw)) return raw as Directive;
  throw invalid({ group: 'meta.k8s.io', kind: options }, '', [
    {
      type: 'FieldValueNotSupported',
      field: 'fieldValidation',
      value: raw,
      detail: `supported values: ${DIRECTIVES.map((d) => `"${d}"`).join(', ')}`,
    },
  ]);
}

/** Validates a decoded JSON body in place: throws under Strict, else drops unknown fields (warning under Warn). */
export function validateFields(
  res: ServerResponse,
  def: ResourceDef,
  info: RequestInfo,
  body: unknown,
  options: 'CreateOptions' | 'UpdateOptions',
): void {
  const directive = directiveOf(info, options);
  const unknown = unknownFieldPaths(def.kind, body);
  if (unknown.length === 0) return;
  if (directive === 'Strict') {
    const fields = unknown.map((p) => `unknown field "${p}"`).join(', ');
    throw badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${fields}`,
    );
  }
  if (directive === 'Warn') {
    res.setHeader(
      'Warning',
      unknown.map((p) => `299 - ${JSON.stringify(`unknown field "${p}"`)}`),
    );
  }
  pruneUnknownFields(def.kind, body);
}
