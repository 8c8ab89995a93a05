/**
 * Kubernetes `Status` errors with the exact body shapes and messages the real API server
 * returns (k8s.io/apimachinery/pkg/api/errors), so clients and checks read the same text.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** Identifies a resource the way error messages name it: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    // Real bodies put `details` before `code`; keep that order for byte-level comparisons.
    const { code, ...rest } = body;
    return { ...rest, code } as StatusBody;
  }
}

export function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

function details(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

export function conflict(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(gr, name),
  );
}

/** `pods "x" is forbidden: <why>`; without a name: `pods is forbidden: <why>`. */
export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(gr, name));
}

/** One field problem, as field.Error prints it. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden';
  field: string;
  /** Text after the type, e.g. `Invalid value: "x": must be ...` is built from value + detail. */
  value?: unknown;
  detail?: string;
}

const fieldErrorLabels: Record<FieldError['type'], string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
};

function fieldErrorText(e: FieldError): string {
  const label = fieldErrorLabels[e.type];
  const withValue = e.value === undefined ? label : `${label}: ${JSON.stringify(e.value)}`;
  return e.detail ? `${withValue}: ${e.detail}` : withValue;
}

/** 422 `Deployment.apps "web" is invalid: <field>: <text>` with one cause per field error. */
export function invalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const texts = errors.map((e) => `${e.field}: ${fieldErrorText(e)}`);
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const d: StatusDetails = { name, kind: kind.kind };
  if (kind.group) d.group = kind.group;
  d.causes = errors.map((e) => ({ reason: e.type, message: fieldErrorText(e), field: e.field }));
  return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, d);
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** A watch asked for history the server no longer keeps. */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    details(gr, ''),
  );
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`,
  );
}

/** The generic 404 for a path the server does not serve. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: '', message }],
  });
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
