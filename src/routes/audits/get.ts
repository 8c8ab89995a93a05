import { notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { findRunOr404 } from './lookup.js';
import { catalogIds, presentRunDetail } from './present.js';
import { AuditIdParams, AuditRunDetailSchema } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'get',
  path: '/v1/audits/{id}',
  operationId: 'getAudit',
  summary: 'Get an audit',
  description:
    'Status, cluster identity, timings, summary counts, every check result written so far, and the callback with its delivery attempts.',
  request: { params: AuditIdParams },
  responses: {
    200: { description: 'The audit', content: { 'application/json': { schema: AuditRunDetailSchema } } },
    ...notFoundResponse,
  },
});

/** `GET /v1/audits/{id}`: one audit with its results so far. */
export function registerGetAudit(app: Router): void {
  app.openapi(route, (c) => {
    const { run, results } = findRunOr404(c.var.store, c.req.valid('param').id, c.var.principal);
    return c.json(presentRunDetail(run, results, c.var.store.webhookAttempts(run.id), catalogIds(c.var.catalog)), 200);
  });
}
