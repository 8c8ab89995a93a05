import { notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { AUDIT_KEY, cachedBody, conditionalHeaders, etagHeader, notModifiedResponse } from './cached-body.js';
import { findRunRowOr404 } from './lookup.js';
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
  request: { params: AuditIdParams, headers: conditionalHeaders },
  responses: {
    200: {
      description: 'The audit',
      headers: etagHeader,
      content: { 'application/json': { schema: AuditRunDetailSchema } },
    },
    ...notModifiedResponse,
    ...notFoundResponse,
  },
});

/** `GET /v1/audits/{id}`: one audit with its results so far. */
export function registerGetAudit(app: Router): void {
  app.openapi(route, (c) => {
    const run = findRunRowOr404(c.var.store, c.req.valid('param').id, c.var.principal);
    // Webhook attempts are writes to the run too: they drop its cached body like any other.
    return cachedBody(c, run, AUDIT_KEY, () => ({
      body: JSON.stringify(
        presentRunDetail(
          run,
          c.var.store.getResults(run.id),
          c.var.store.webhookAttempts(run.id),
          catalogIds(c.var.catalog),
        ),
      ),
      contentType: 'application/json',
    }));
  });
}
