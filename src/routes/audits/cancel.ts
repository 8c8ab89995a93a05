import { ApiError } from '../../http/errors.js';
import { conflictResponse, notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { auditNotFound, findRunRowOr404 } from './lookup.js';
import { auditLinks } from './present.js';
import { AuditIdParams, CancelAccepted } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'post',
  path: '/v1/audits/{id}/cancel',
  operationId: 'cancelAudit',
  summary: 'Cancel an audit',
  description: 'Aborts every in-flight Kubernetes call; cleanup still runs; the final status is `cancelled`.',
  request: { params: AuditIdParams },
  responses: {
    202: { description: 'Cancellation accepted', content: { 'application/json': { schema: CancelAccepted } } },
    ...notFoundResponse,
    ...conflictResponse,
  },
});

/** `POST /v1/audits/{id}/cancel`. */
export function registerCancelAudit(app: Router): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid('param');
    // Another tenant's run is not found, and not cancelled.
    findRunRowOr404(c.var.store, id, c.var.principal);
    const outcome = c.var.runner.cancel(id);
    if (outcome === 'not-found') throw auditNotFound(id);
    if (outcome === 'already-finished') {
      const status = c.var.store.getRun(id)?.status ?? 'unknown';
      throw new ApiError('conflict', { detail: `The audit already ended with status "${status}".` });
    }
    return c.json({ id, status: outcome, links: auditLinks(id) }, 202);
  });
}
