import { ERROR_CODES, type ErrorCode } from './errors.js';
import { type Problem, ProblemSchema, problemBody } from './problem.js';

/** One example of a problem response: its code (whose status is the response's), detail and extras. */
type ProblemExample = [code: ErrorCode, detail: string, extra?: Partial<Problem>];

/**
 * A problem+json response with one example per code that answers it, each built by the same
 * `problemBody` the error handler uses, so an example's `status`, `code`, `type` and `title`
 * always match the response it documents (test/openapi/examples.test.ts checks it).
 */
function problem(description: string, instance: string, ...examples: [ProblemExample, ...ProblemExample[]]) {
  return {
    description,
    content: {
      'application/problem+json': {
        schema: ProblemSchema,
        examples: Object.fromEntries(
          examples.map(([code, detail, extra]) => [
            code,
            { summary: ERROR_CODES[code].title, value: problemBody(code, detail, instance, extra) },
          ]),
        ),
      },
    },
  };
}

const AUDIT = '/v1/audits/0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69';

/** Error responses every route can give; spread into each route's `responses`. */
export const commonErrorResponses = {
  400: problem(
    'The request is not valid: each failing field is listed in `errors`',
    '/v1/audits',
    [
      'validation_failed',
      'body.checks.0: Expected string, received number',
      { errors: [{ path: 'body.checks.0', message: 'Expected string, received number' }] },
    ],
    [
      'invalid_kubeconfig',
      'users[0].user.exec: exec credential plugins are not accepted. Create a token kubeconfig instead.',
      { field: 'users[0].user.exec' },
    ],
    [
      'unknown_checks',
      'Unknown check ids or groups: dns.servce. GET /v1/checks lists them.',
      { unknown: ['dns.servce'] },
    ],
    [
      'outbound_policy',
      'https://169.254.169.254:6443 is refused: link-local and cloud metadata addresses are never dialled.',
    ],
  ),
  401: problem('Missing or wrong bearer token (only when the server has API tokens configured)', '/v1/audits', [
    'unauthorized',
    'Send Authorization: Bearer <token> with one of the API tokens this server was configured with.',
  ]),
  413: problem('The request body is larger than the limit', '/v1/audits', [
    'payload_too_large',
    'The request body is larger than 1048576 bytes.',
  ]),
  500: problem('Internal error; the detail never reveals internals', '/v1/audits', [
    'internal',
    'The server could not complete the request.',
  ]),
} as const;

export const notFoundResponse = {
  404: problem('No such resource', AUDIT, ['not_found', 'No audit 0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69.']),
} as const;
export const conflictResponse = {
  409: problem('The resource is not in a state that allows this', AUDIT, [
    'conflict',
    'The audit is running: cancel it first (POST …/cancel), then delete it once it has ended.',
  ]),
} as const;
export const notAcceptableResponse = {
  406: problem('None of the accepted representations is available', `${AUDIT}/report`, [
    'not_acceptable',
    'Accept application/json (JSON), application/xml (JUnit XML) or text/markdown (Markdown), or pass ?format=json|junit|markdown.',
  ]),
} as const;
export const unavailableResponse = {
  503: problem('kubeproof is shutting down and accepts no new work', '/v1/audits', [
    'unavailable',
    'kubeproof is shutting down and accepts no new audits; retry on another instance.',
  ]),
} as const;
export const unsupportedMediaResponse = {
  415: problem('The body has a content type this route does not accept', '/v1/audits', [
    'unsupported_media_type',
    'Send the kubeconfig as application/json ({"kubeconfig": "…"}) or application/yaml.',
  ]),
} as const;
export const tooManyRequestsResponse = {
  429: {
    ...problem(
      'The queue, or your share of it (or of open event streams), is full; retry after `Retry-After` seconds',
      '/v1/audits',
      ['too_many_requests', 'kubeproof is busy: 100 audits are queued. Retry after 30 s.'],
    ),
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
  },
} as const;
