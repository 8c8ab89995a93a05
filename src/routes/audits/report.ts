import { z } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors.js';
import { notAcceptableResponse, notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { REPORT_MEDIA_TYPES, renderReport } from '../../report/index.js';
import { findRunOr404 } from './lookup.js';
import { formatFromAccept } from './negotiate.js';
import { presentRun } from './present.js';
import { AuditIdParams, AuditReportSchema, ReportQuery } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'get',
  path: '/v1/audits/{id}/report',
  operationId: 'getAuditReport',
  summary: 'Get the report',
  description:
    'Root causes first, then the observation → component → guide references table. Format by `?format=` or `Accept`: ' +
    '`application/json`, `application/xml` (JUnit, one testsuite per group), `text/markdown`. A report of an unfinished audit shows the results so far.',
  request: { params: AuditIdParams, query: ReportQuery },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': { schema: AuditReportSchema },
        'application/xml': {
          schema: z.string().openapi({ description: 'JUnit XML', example: '<?xml version="1.0"?><testsuites/>' }),
        },
        'text/markdown': {
          schema: z.string().openapi({ description: 'Markdown report', example: '# kubeproof audit ...' }),
        },
      },
    },
    ...notFoundResponse,
    ...notAcceptableResponse,
  },
});

/** `GET /v1/audits/{id}/report`: JSON, JUnit XML or Markdown by negotiation. */
export function registerGetReport(app: Router): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid('param');
    const format = c.req.valid('query').format ?? formatFromAccept(c.req.header('accept'));
    if (!format) {
      throw new ApiError('not_acceptable', {
        detail:
          'Accept application/json, application/xml (JUnit) or text/markdown, or pass ?format=json|junit|markdown.',
      });
    }
    const { run, results } = findRunOr404(c.var.store, id, c.var.principal);
    const body = renderReport(presentRun(run, results), format);
    return c.body(body, 200, { 'content-type': REPORT_MEDIA_TYPES[format], vary: 'Accept' });
  });
}
