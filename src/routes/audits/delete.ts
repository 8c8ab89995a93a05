import { ApiError } from '../../http/errors.js';
import { conflictResponse, notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { isFinal } from '../../kernel/vocabulary.js';
import { auditNotFound, findRunRowOr404 } from './lookup.js';
import { AuditIdParams } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'delete',
  path: '/v1/audits/{id}',
  operationId: 'deleteAudit',
  summary: 'Delete a finished audit',
  description:
    'Deletes a finished audit with its check results and events. A queued or running audit is refused with 409: cancel it first, then delete it once it has ended.',
  request: { params: AuditIdParams },
  responses: {
    204: { description: 'Deleted, with its results and events' },
    ...notFoundResponse,
    ...conflictResponse,
  },
});

/** `DELETE /v1/audits/{id}`. */
export function registerDeleteAudit(app: Router): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid('param');
    // Another tenant's run is not found, and not deleted.
    const run = findRunRowOr404(c.var.store, id, c.var.principal);
    if (!isFinal(run.status)) {
      throw new ApiError('conflict', {
        detail: `The audit is still ${run.status}: cancel it first (POST /v1/audits/${id}/cancel), then delete it once it has ended.`,
      });
    }
    // The run cannot have been deleted in between (one thread, synchronous database); guard anyway.
    if (!c.var.store.deleteRun(id)) throw auditNotFound(id);
    c.var.logger.info('audit deleted', { runId: id });
    return c.body(null, 204);
  });
}
