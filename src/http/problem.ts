import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.js';
import { ApiError, codeForStatus, ERROR_CODES, type ErrorCode } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({
      description: 'Where the bad value is: the request part then the field path',
      example: 'body.checks.0',
    }),
    message: z.string().openapi({ description: 'What is wrong with it', example: 'Expected string, received number' }),
  })
  .openapi('FieldError');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: 'URI identifying the problem type (one per code)',
      example: 'urn:kubeproof:problem:invalid_kubeconfig',
    }),
    title: z
      .string()
      .openapi({ description: 'Short summary of the problem type', example: 'The kubeconfig cannot be used' }),
    status: z.number().int().openapi({ description: 'HTTP status code', example: 400 }),
    detail: z.string().openapi({
      description: 'What went wrong in this occurrence, and how to move forward',
      example: 'users[0].user.exec: exec credential plugins are not accepted. Create a token kubeconfig instead.',
    }),
    instance: z.string().openapi({ description: 'The request path this problem occurred on', example: '/v1/audits' }),
    code: z
      .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
      .openapi({ description: 'Machine-readable error code (closed set)', example: 'invalid_kubeconfig' }),
    errors: z
      .array(FieldErrorSchema)
      .optional()
      .openapi({ description: 'Each failing field, for validation problems' }),
    field: z
      .string()
      .optional()
      .openapi({ description: 'The offending kubeconfig field', example: 'users[0].user.exec' }),
    unknown: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Names that are neither a check id nor a group', example: ['dns.servce'] }),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof ProblemSchema>;

/** Builds the RFC 9457 body for an error code. */
export function problemBody(code: ErrorCode, detail: string, instance: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = ERROR_CODES[code];
  return { type: `urn:kubeproof:problem:${code}`, title, status, detail, instance, code, ...extra };
}

/** The problem+json response for an ApiError. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body = problemBody(error.code, error.detail, c.req.path, {
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.field ? { field: error.field } : {}),
    ...(error.unknown ? { unknown: error.unknown } : {}),
  });
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...error.headers },
  });
}

/** Turns anything thrown into a problem. Unknown errors become a 500 that reveals nothing. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const code = codeForStatus(err.status);
    // Hono's own messages (e.g. "Unsupported Media Type", "Malformed JSON in request body") are safe to show.
    const detail =
      code === 'internal' ? 'The server could not complete the request.' : err.message || ERROR_CODES[code].title;
    return new ApiError(code, { detail, cause: err });
  }
  return new ApiError('internal', { detail: 'The server could not complete the request.', cause: err });
}

/** The app's single onError handler. */
export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) {
    const cause = apiError.cause ?? err;
    c.var.logger?.error('request failed', {
      path: c.req.path,
      ...(c.var.requestId ? { requestId: c.var.requestId } : {}),
      error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
    });
  }
  return problemResponse(c, apiError);
}
