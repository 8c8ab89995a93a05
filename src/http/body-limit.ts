import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

/** Refuses bodies above `maxBytes` with a 413 problem (checked while reading, not trusting Content-Length alone). */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', { detail: `The request body exceeds ${maxBytes} bytes.` });
    },
  });
}
