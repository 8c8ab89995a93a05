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
import type { ReportFormat } from '../../report/index.js';

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

/** The cache keys of a run's representations: the audit itself and each report format. */
export const AUDIT_KEY = 'audit';
export const reportKey = (format: ReportFormat) => `report:${format}`;
/** What the report route adds to every answer: its format is negotiated on Accept. */
export const REPORT_HEADERS = { vary: 'Accept' } as const;

/** Header names in lower case, in the order they are sent (sorted, as a Headers object iterates). */
export type CachedAnswer =
  | { status: 200; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }
  | { status: 304; headers: Record<string, string>; body: null };

/**
 * The answer to a GET of a cached representation: 304 when If-None-Match names its ETag, else
 * the bytes. The 304 names the representation's own Content-Type: a cache refreshes the stored
 * response's header fields from a 304 (RFC 9111 §4.3.4), and without one @hono/node-server
 * would send `text/plain` there. Both the route and the listener's fast path (fast-read.ts)
 * answer with exactly this.
 */
export function cachedAnswer(
  entry: CachedBody,
  ifNoneMatch: string | undefined,
  headers: Readonly<Record<string, string>> = {},
): CachedAnswer {
  const fields = { 'content-type': entry.contentType, etag: entry.etag, ...headers };
  if (matches(ifNoneMatch, entry.etag)) return { status: 304, headers: fields, body: null };
  return { status: 200, headers: fields, body: entry.body as Uint8Array<ArrayBuffer> };
}

const utf8 = new TextEncoder();

/**
 * The representation `key` of the run: from the cache for a finished run (rendering it once),
 * else rendered now; 304 when If-None-Match names it.
 */
export function cachedBody(
  c: Context<AppEnv>,
  run: AuditRunRow,
  key: string,
  render: () => { body: string; contentType: string },
  headers: Readonly<Record<string, string>> = {},
): Response {
  if (!isFinal(run.status)) {
    const fresh = render();
    return c.body(fresh.body, 200, { ...headers, 'content-type': fresh.contentType });
  }
  const cache = c.var.store.rendered;
  let entry = cache.get(run.id, key);
  if (!entry) {
    const fresh = render();
    entry = {
      body: utf8.encode(fresh.body),
      contentType: fresh.contentType,
      etag: strongEtag(fresh.body),
      owner: run.owner,
    };
    cache.set(run.id, key, entry);
  }
  const answer = cachedAnswer(entry, c.req.header('if-none-match'), headers);
  return answer.body ? c.body(answer.body, 200, answer.headers) : c.body(null, 304, answer.headers);
}
