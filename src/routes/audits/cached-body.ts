/**
 * Finished audits are immutable: their representations (the audit JSON, each report format) are
 * rendered once, kept in the store's RunCache with a strong ETag, and a request whose
 * If-None-Match names it is answered 304 (RFC 9110 §13.1.2, §15.4.5). Unfinished runs are
 * rendered afresh each time and carry no validator.
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CachedBody } from '../../db/run-cache.js';
import type { AuditRunRow } from '../../db/schema/index.js';
import type { AppEnv } from '../../http/env.js';
import { isFinal } from '../../kernel/vocabulary.js';

/** The request header of conditional GETs, for the route definitions. */
export const conditionalHeaders = z.object({
  'if-none-match': z.string().optional().openapi({
    description: 'The ETag of a finished audit already held: 304 when it still matches',
    example: '"Zm9v"',
  }),
});

/** The ETag a finished audit's representation carries. */
export const etagHeader = {
  ETag: {
    description: 'Strong validator, on finished audits only (their representations no longer change)',
    schema: { type: 'string' },
  },
} as const;

export const notModifiedResponse = {
  304: { description: 'Not modified: If-None-Match names the current ETag', headers: etagHeader },
} as const;

const strongEtag = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** If-None-Match (weak comparison, as §13.1.2 asks): `*` or a list of entity tags. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * The representation `key` of the run: from the cache for a finished run (rendering it once),
 * else rendered now; 304 when If-None-Match names it.
 */
export function cachedBody(
  c: Context<AppEnv>,
  run: AuditRunRow,
  key: string,
  render: () => { body: string; contentType: string },
  headers: Record<string, string> = {},
): Response {
  const cache = c.var.store.rendered;
  let entry: CachedBody | undefined;
  if (isFinal(run.status)) {
    entry = cache.get(run.id, key);
    if (!entry) {
      const fresh = render();
      entry = { ...fresh, etag: strongEtag(fresh.body) };
      cache.set(run.id, key, entry);
    }
  }
  if (!entry) {
    const fresh = render();
    return c.body(fresh.body, 200, { ...headers, 'content-type': fresh.contentType });
  }
  if (matches(c.req.header('if-none-match'), entry.etag)) {
    return c.body(null, 304, { ...headers, etag: entry.etag });
  }
  return c.body(entry.body, 200, { ...headers, 'content-type': entry.contentType, etag: entry.etag });
}
