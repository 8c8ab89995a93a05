import { createHash, timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { ApiError } from '../../http/errors.js';
import { commonErrorResponses } from '../../http/responses.js';
import type { Router } from '../../http/router.js';

export const METRICS_PATH = '/metrics';
export const METRICS_TOKEN_VARIABLE = 'KUBEPROOF_METRICS_TOKEN';

const route = createRoute({
  method: 'get',
  path: METRICS_PATH,
  operationId: 'getMetrics',
  tags: ['health'],
  // Either no token (open, like the probes) or the scrape token: never the /v1 API tokens.
  security: [{}, { metricsToken: [] }],
  summary: 'Prometheus metrics',
  description:
    'Prometheus text exposition format (prom-client): audits by final status, check results by check and status, ' +
    'check and audit duration histograms, queued and running audits, calls made to clusters by verb, and (when ' +
    'KUBEPROOF_METRICS_CLUSTER_LABELS is set) last-audit gauges per cluster. With KUBEPROOF_METRICS_TOKEN set, ' +
    'send `Authorization: Bearer <that token>`.',
  responses: {
    200: {
      description: 'The metrics (`Content-Type: text/plain; version=0.0.4; charset=utf-8`)',
      content: {
        'text/plain': {
          schema: z.string().openapi({
            example:
              '# HELP kubeproof_audits_total Audits that reached a final status\nkubeproof_audits_total{status="passed"} 3\n',
          }),
        },
      },
    },
    401: commonErrorResponses[401],
    500: commonErrorResponses[500],
  },
});

const digest = (text: string) => createHash('sha256').update(text).digest();

/** KUBEPROOF_METRICS_TOKEN, when set: the scrape must bear it (compared in constant time). */
function scrapeAuth(token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1] ?? ''), expected)) {
      throw new ApiError('unauthorized', {
        detail: match
          ? `The bearer token is not the metrics token (${METRICS_TOKEN_VARIABLE}).`
          : `Send \`Authorization: Bearer <token>\` with the metrics token (${METRICS_TOKEN_VARIABLE}).`,
        headers: { 'WWW-Authenticate': `Bearer realm="kubeproof-metrics"${match ? ', error="invalid_token"' : ''}` },
      });
    }
    return next();
  };
}

/** `GET /metrics` from the app's own Registry (outside /v1: scraped with its own optional token). */
export function registerMetricsRoute(app: Router, token: string | undefined): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: `${METRICS_TOKEN_VARIABLE}; required on ${METRICS_PATH} only when the server has it configured.`,
  });
  app.use(METRICS_PATH, scrapeAuth(token));
  app.openapi(route, async (c) => {
    const registry = c.var.metrics;
    const text = await registry.metrics();
    return c.body(text, 200, { 'content-type': registry.contentType });
  });
}
