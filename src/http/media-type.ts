import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

/** `application/json; charset=utf-8` → `application/json`; '' when absent. */
export function mediaType(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Refuses a body whose Content-Type the route does not take, with a 415 that names the types
 * it does take (`curl --data-binary` sends form-urlencoded unless told otherwise). A request
 * without Content-Type is left to the route.
 */
export function acceptMediaTypes(accepted: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = mediaType(c.req.header('content-type'));
    if (type !== '' && !accepted.includes(type)) {
      throw new ApiError('unsupported_media_type', {
        detail: `Content-Type ${type} is not accepted here; send ${accepted.join(' or ')} (with curl: -H 'Content-Type: ${accepted.at(-1)}').`,
      });
    }
    await next();
  };
}
