import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { parseApiTokens, type Tenant, tokenDigest } from './tenants.js';

/**
 * Requires `Authorization: Bearer <token>` matching one of the KUBEPROOF_API_TOKENS entries and
 * sets the request's `principal` to that entry's tenant. Comparison is on SHA-256 digests with
 * timingSafeEqual, over every entry, so timing reveals neither which token nor how much of it
 * matched. No entries → the middleware lets everything through (no principal: all is visible).
 */
export function bearerAuth(entries: readonly string[]): MiddlewareHandler<AppEnv> {
  const credentials = parseApiTokens(entries);
  return async (c, next) => {
    if (credentials.length === 0) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const presented = tokenDigest(match?.[1] ?? '');
    let found: Tenant | undefined;
    for (const candidate of credentials) {
      // No early exit: every entry is compared.
      if (timingSafeEqual(candidate.digest, presented) && !found) found = candidate.tenant;
    }
    if (!match || !found) {
      throw new ApiError('unauthorized', {
        detail: match
          ? 'The bearer token is not valid.'
          : 'Send `Authorization: Bearer <token>` (one of KUBEPROOF_API_TOKENS).',
        headers: { 'WWW-Authenticate': `Bearer realm="kubeproof"${match ? ', error="invalid_token"' : ''}` },
      });
    }
    c.set('principal', found);
    return next();
  };
}
