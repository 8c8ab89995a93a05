import type { Hook, z } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { ApiError, type FieldError } from './errors.js';

const PART_NAMES: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** Lists each failing field of a zod error, prefixed by the request part it came from. */
export function fieldErrors(part: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** The defaultHook of every router: a failed validation becomes one `validation_failed` problem. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input and output shape
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const part = PART_NAMES[result.target] ?? result.target;
  const errors = fieldErrors(part, result.error as z.ZodError);
  throw new ApiError('validation_failed', {
    detail: `Invalid ${part}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    errors,
  });
};
