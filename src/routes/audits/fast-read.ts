/**
 * The listener's fast path for finished audits: a plain GET of `/v1/audits/{id}` or
 * `/v1/audits/{id}/report` whose body is already in the store's RunCache is answered from the
 * node request, before hono (routing, the Request/Response conversion, zod, the middleware chain)
 * — the same status, headers, bytes and access log line as the routes give (get.ts, report.ts).
 * It checks what they check — the bearer token and the run's owner (kept with the cached body:
 * it never changes; only finished runs have cached bodies and any write to a run drops them) —
 * and answers nothing itself that is not a 200 or 304 of a cached body: anything
 * else (another method or form of the URL, a body, an odd Host, no or a wrong token, another
 * tenant's or an unknown run, a run still going, a body not rendered yet, any error) returns
 * false and hono answers it as always.
 */
import type { IncomingMessage } from 'node:http';
import { logAccess, REQUEST_ID_HEADER, requestIdFrom } from '../../http/access-log.js';
import { authenticate } from '../../http/auth.js';
import type { AppDeps } from '../../http/env.js';
import { headersOf, hostAccepted } from '../../http/incoming.js';
import type { FastPath } from '../../http/listener.js';
import { mayAccess, parseApiTokens, type Tenant } from '../../http/tenants.js';
import { REPORT_FORMAT_NAMES, type ReportFormat } from '../../report/index.js';
import { AUDIT_KEY, type CachedAnswer, cachedAnswer, REPORT_HEADERS, reportKey } from './cached-body.js';
import { formatFromAccept } from './negotiate.js';

/**
 * The two routes' URLs in the one form taken here: an id of URL-safe characters only (nothing
 * hono would decode, no dot segment a URL parser would resolve; the route allows 1-100
 * characters), and for the report no query or exactly `?format=<name>`.
 */
const TARGET = new RegExp(
  `^/v1/audits/([A-Za-z0-9_-]{1,100})(?:(/report)(?:\\?format=(${REPORT_FORMAT_NAMES.join('|')}))?)?$`,
);

/** The route patterns hono's access log line names (matchedRoutes). */
const AUDIT_ROUTE = '/v1/audits/:id';
const REPORT_ROUTE = '/v1/audits/:id/report';

const READ_HEADERS = [
  'authorization',
  'if-none-match',
  'accept',
  'x-request-id',
  'content-length',
  'transfer-encoding',
] as const;

interface Hit {
  answer: CachedAnswer;
  route: string;
  runId: string;
  principal: Tenant | undefined;
  requestIdHeader: string | undefined;
}

/** The cached answer this request gets from the routes, or undefined when hono must answer it. */
function lookup(deps: Pick<AppDeps, 'store'>, credentials: ReturnType<typeof parseApiTokens>, req: IncomingMessage) {
  if (req.method !== 'GET') return undefined;
  const target = TARGET.exec(req.url ?? '');
  if (!target || !hostAccepted(req.headers.host)) return undefined;
  const headers = headersOf(req, READ_HEADERS);
  // A GET with a body goes through the body limit and its problems.
  if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return undefined;
  let principal: Tenant | undefined;
  if (credentials.length > 0) {
    principal = authenticate(credentials, headers.authorization).tenant;
    if (!principal) return undefined;
  }
  const [, runId = '', report, queryFormat] = target;
  let key = AUDIT_KEY;
  if (report) {
    const format = (queryFormat as ReportFormat | undefined) ?? formatFromAccept(headers.accept);
    if (!format) return undefined;
    key = reportKey(format);
  }
  // Only finished runs have entries, and every write to a run drops them (RunCache).
  const entry = deps.store.rendered.get(runId, key);
  if (!entry || !mayAccess(principal, entry.owner)) return undefined;
  const answer = cachedAnswer(entry, headers['if-none-match'], report ? REPORT_HEADERS : {});
  const hit: Hit = {
    answer,
    route: report ? REPORT_ROUTE : AUDIT_ROUTE,
    runId,
    principal,
    requestIdHeader: headers['x-request-id'],
  };
  return hit;
}

/**
 * The fast path over the app's dependencies (the same store, logger and tokens as createApp's).
 * @example const fast = fastReads(deps); http.createServer((req, res) => fast(req, res) || honoListener(req, res))
 */
export function fastReads(deps: Pick<AppDeps, 'store' | 'logger' | 'settings'>): FastPath {
  const credentials = parseApiTokens(deps.settings.apiTokens);
  return (req, res) => {
    const startedAt = performance.now();
    let hit: Hit | undefined;
    try {
      hit = lookup(deps, credentials, req);
    } catch {
      // The route meets the same failure and answers it as a problem.
      return false;
    }
    if (!hit) return false;
    const requestId = requestIdFrom(hit.requestIdHeader);
    const { answer } = hit;
    // As @hono/node-server writes them: the representation's headers, the request id, then the length of a body.
    const headers: Record<string, string | number> = {
      ...answer.headers,
      [REQUEST_ID_HEADER.toLowerCase()]: requestId,
    };
    if (answer.body) headers['Content-Length'] = answer.body.byteLength;
    res.writeHead(answer.status, headers);
    if (answer.body) res.end(answer.body);
    else res.end();
    logAccess(deps.logger, {
      requestId,
      method: 'GET',
      route: hit.route,
      runId: hit.runId,
      status: answer.status,
      startedAt,
      tenant: hit.principal?.name,
    });
    return true;
  };
}
