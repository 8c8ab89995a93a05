import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { parseApiTokens, type Tenant, type TenantCredential, tokenDigest } from './tenants.js';

/**
 * The tenant whose token the Authorization header presents, or undefined (no header, not a
 * bearer token, or no entry matches). Comparison is on SHA-256 digests with timingSafeEqual,
 * over every entry, so timing reveals neither which token nor how much of it matched.
 */
export function authenticate(
  credentials: readonly TenantCredential[],
  authorization: string | undefined,
): { bearer: boolean; tenant: Tenant | undefined } {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const presented = tokenDigest(match?.[1] ?? '');
  let found: Tenant | undefined;
  for (const candidate of credentials) {
    // No early exit: every entry is compared.
    if (timingSafeEqual(candidate.digest, presented) && !found) found = candidate.tenant;
  }
  return { bearer: match !== null, tenant: match ? found : undefined };
}

/**
 * Requires `Authorization: Bearer <token>` matching one of the KUBEPROOF_API_TOKENS entries and
 * sets the request's `principal` to that entry's tenant. No entries → the middleware lets
 * everything through (no principal: all is visible).
 */
export function bearerAuth(entries: readonly string[]): MiddlewareHandler<AppEnv> {
  const credentials = parseApiTokens(entries);
  return async (c, next) => {
    if (credentials.length === 0) return next();
    const { bearer, tenant } = authenticate(credentials, c.req.header('authorization'));
    if (!tenant) {
      throw new ApiError('unauthorized', {
        detail: bearer
          ? 'The bearer token is not valid.'
          : 'Send `Authorization: Bearer <token>` (one of KUBEPROOF_API_TOKENS).',
        headers: { 'WWW-Authenticate': `Bearer realm="kubeproof"${bearer ? ', error="invalid_token"' : ''}` },
      });
    }
    c.set('principal', tenant);
    return next();
  };
}
