import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../kernel/logger.js';
import type { AppEnv } from './env.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming X-Request-Id is kept when it is a sane token (what proxies and tracing systems
 * send: UUIDs, hex, base64url-ish ids); anything else — too long, spaces, control characters,
 * quotes — is replaced, so a caller cannot put arbitrary text into our logs and headers.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=-]{0,127}$/;

/** The request id to use: the caller's when sane, else a new UUID. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The fields of one access log line, in the order they are written. */
export interface AccessLine {
  requestId: string;
  method: string;
  route: string | null;
  runId?: string;
  status: number;
  startedAt: number;
  tenant?: string | undefined;
}

/** Writes the access log line of a request that started at `startedAt` (performance.now()). */
export function logAccess(logger: Logger, { startedAt, tenant, runId, ...line }: AccessLine): void {
  const fields = {
    requestId: line.requestId,
    method: line.method,
    route: line.route,
    ...(runId ? { runId } : {}),
    status: line.status,
    durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
    ...(tenant ? { tenant } : {}),
  };
  if (line.status >= 500) logger.error('request', fields);
  else logger.info('request', fields);
}

/**
 * One JSON line per request: request id (also returned in X-Request-Id), method, the matched
 * route pattern (not the raw URL: no query string, ids stay out of the pattern), status and
 * duration until the response headers (a Server-Sent Event stream's life is not included).
 * Headers and bodies are never logged, so neither tokens nor kubeconfigs are.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
      const status = c.res.status;
      // The last route with a method is the handler (use() middleware is registered for ALL).
      const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? null;
      // A run's own routes name it, so the run id is on this line too (only once the run was found).
      const runId = route?.startsWith('/v1/audits/:id') && status < 400 ? c.req.param('id') : undefined;
      logAccess(c.var.logger, {
        requestId,
        method: c.req.method,
        route,
        ...(runId ? { runId } : {}),
        status,
        startedAt,
        tenant: c.var.principal?.name,
      });
    }
  };
}
