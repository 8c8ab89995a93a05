import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Requires `Authorization: Bearer <token>` matching one of `tokens`. Comparison is on
 * SHA-256 digests with timingSafeEqual, over every token, so timing reveals neither which
 * token nor how much of it matched. No tokens → the middleware lets everything through.
 */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler<AppEnv> {
  const expected = tokens.map(digest);
  return async (c, next) => {
    if (expected.length === 0) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const presented = digest(match?.[1] ?? '');
    let ok = false;
    for (const candidate of expected) ok = timingSafeEqual(candidate, presented) || ok;
    if (!match || !ok) {
      throw new ApiError('unauthorized', {
        detail: match
          ? 'The bearer token is not valid.'
          : 'Send `Authorization: Bearer <token>` (one of KUBEPROOF_API_TOKENS).',
        headers: { 'WWW-Authenticate': `Bearer realm="kubeproof"${match ? ', error="invalid_token"' : ''}` },
      });
    }
    return next();
  };
}
