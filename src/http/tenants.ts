/**
 * Tenants from KUBEPROOF_API_TOKENS. Each comma-separated entry is one of
 * - `name:token` (the token at least 16 characters),
 * - `name:sha256:<64 hex>`: the SHA-256 of the token, so the configuration holds no plaintext
 *   (`printf %s "$TOKEN" | sha256sum`),
 * - `token` alone: tenant `default` (the form of earlier versions).
 * A tenant named `admin`, or whose name ends in `@admin`, has the admin role: it sees and
 * cancels every tenant's runs. Names: 1-63 of a-z, 0-9, `.`, `_`, `-`.
 */
import { createHash } from 'node:crypto';

export interface Tenant {
  name: string;
  admin: boolean;
}

export interface TenantCredential {
  tenant: Tenant;
  /** SHA-256 of the token: what a presented token's digest is compared with. */
  digest: Buffer;
}

export const DEFAULT_TENANT = 'default';
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const MIN_TOKEN_LENGTH = 16;

export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token).digest();

function tenantOf(rawName: string): Tenant | undefined {
  const admin = rawName === 'admin' || rawName.endsWith('@admin');
  const name = rawName.endsWith('@admin') ? rawName.slice(0, -'@admin'.length) : rawName;
  return NAME.test(name) ? { name, admin } : undefined;
}

/**
 * Parses the entries; throws an Error naming the entry by position only (never its token).
 * @example parseApiTokens(['team-a:kp-0123456789abcdef', 'ops@admin:sha256:' + 'ab'.repeat(32)])
 */
export function parseApiTokens(entries: readonly string[]): TenantCredential[] {
  const credentials = entries.map((entry, i): TenantCredential => {
    const at = `token #${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      if (entry.length < MIN_TOKEN_LENGTH)
        throw new Error(`${at}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
      return { tenant: { name: DEFAULT_TENANT, admin: false }, digest: tokenDigest(entry) };
    }
    const tenant = tenantOf(entry.slice(0, colon));
    if (!tenant)
      throw new Error(`${at}: the tenant name must be 1-63 of a-z, 0-9, ".", "_", "-" (optionally ending in @admin)`);
    const secret = entry.slice(colon + 1);
    const hashed = /^sha256:(.*)$/.exec(secret);
    if (hashed) {
      if (!/^[0-9a-f]{64}$/i.test(hashed[1]!)) throw new Error(`${at}: sha256: must be followed by 64 hex digits`);
      return { tenant, digest: Buffer.from(hashed[1]!, 'hex') };
    }
    if (secret.length < MIN_TOKEN_LENGTH)
      throw new Error(`${at}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
    return { tenant, digest: tokenDigest(secret) };
  });
  const names = new Map<string, boolean>();
  for (const { tenant } of credentials) {
    const seen = names.get(tenant.name);
    if (seen !== undefined && seen !== tenant.admin)
      throw new Error(`tenant "${tenant.name}" is listed both with and without @admin`);
    names.set(tenant.name, tenant.admin);
  }
  return credentials;
}

/** How many distinct tenants the entries name (a tenant may hold several tokens, for rotation). */
export function tenantCount(credentials: readonly TenantCredential[]): number {
  return new Set(credentials.map((c) => c.tenant.name)).size;
}

/** Whether `principal` may see a run owned by `owner`. No principal: the API is open, all is visible. */
export function mayAccess(principal: Tenant | undefined, owner: string | null): boolean {
  return principal === undefined || principal.admin || owner === principal.name;
}
