import { createRoute, z } from '@hono/zod-openapi';
import type { Router } from '../../http/router.js';

const Health = z
  .object({
    status: z.enum(['ok', 'unavailable']).openapi({ description: 'Overall state', example: 'ok' }),
    checks: z
      .record(z.string(), z.boolean())
      .optional()
      .openapi({ description: 'Each readiness condition', example: { database: true, runner: true } }),
  })
  .openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getLiveness',
  // Probes are unauthenticated: say so, so generated clients send no token.
  security: [],
  tags: ['health'],
  summary: 'Liveness',
  description: 'The process is up.',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: Health } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  security: [],
  tags: ['health'],
  summary: 'Readiness',
  description: 'The database accepts writes and the runner accepts audits.',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Health } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Health } } },
  },
});

/** Liveness and readiness probes (unauthenticated). */
export function registerHealthRoutes(app: Router): void {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyz, (c) => {
    const checks = { database: c.var.store.isWritable(), runner: c.var.runner.isAlive() };
    const ready = checks.database && checks.runner;
    return ready
      ? c.json({ status: 'ok' as const, checks }, 200)
      : c.json({ status: 'unavailable' as const, checks }, 503);
  });
}
