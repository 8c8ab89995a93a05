/**
 * The one error type of the API. Handlers and services throw ApiError with a code from a
 * closed set; the error handler (problem.ts) turns it into `application/problem+json`.
 */

/** Every code the API can answer with, and the HTTP status and title each maps to. */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_kubeconfig: { status: 400, title: 'The kubeconfig cannot be used' },
  unknown_checks: { status: 400, title: 'Unknown check ids or groups' },
  outbound_policy: { status: 400, title: "The target is refused by kubeproof's outbound policy" },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  not_found: { status: 404, title: 'Not found' },
  not_acceptable: { status: 406, title: 'The requested representation is not available' },
  conflict: { status: 409, title: 'The resource is not in a state that allows this' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  too_many_requests: { status: 429, title: 'Too many requests: retry after the time given in Retry-After' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode]['status'];

/** One failing field of a request, as listed in a validation problem. */
export interface FieldError {
  /** Dotted path into the request part, prefixed by the part: `body.checks.0`, `query.limit`. */
  path: string;
  message: string;
}

export interface ApiErrorInit {
  detail: string;
  errors?: FieldError[];
  /** The offending kubeconfig field, for `invalid_kubeconfig`. */
  field?: string;
  /** Unknown names, for `unknown_checks`. */
  unknown?: string[];
  /** Extra response headers (e.g. WWW-Authenticate). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly field: string | undefined;
  readonly unknown: string[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, init: ApiErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.detail = init.detail;
    this.errors = init.errors;
    this.field = init.field;
    this.unknown = init.unknown;
    this.headers = init.headers ?? {};
  }
}

/** A validation problem about one field: `invalidField('query.cursor', 'not a cursor this API returned')`. */
export function invalidField(path: string, message: string): ApiError {
  return new ApiError('validation_failed', { detail: `${path}: ${message}`, errors: [{ path, message }] });
}

/** Maps an HTTP status that Hono or a middleware produced on its own to our code. */
export function codeForStatus(status: number): ErrorCode {
  const match = (Object.keys(ERROR_CODES) as ErrorCode[]).find(
    (code) =>
      ERROR_CODES[code].status === status &&
      code !== 'invalid_kubeconfig' &&
      code !== 'unknown_checks' &&
      code !== 'outbound_policy',
  );
  return match ?? (status >= 500 ? 'internal' : 'validation_failed');
}
