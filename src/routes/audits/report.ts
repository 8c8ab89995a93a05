import { ApiError } from '../../http/errors.js';
import { notAcceptableResponse, notFoundResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { REPORT_FORMAT_NAMES, REPORT_FORMATS, renderReport, reportFormats } from '../../report/index.js';
import {
  cachedBody,
  conditionalHeaders,
  etagHeader,
  notModifiedResponse,
  REPORT_HEADERS,
  reportKey,
} from './cached-body.js';
import { findRunRowOr404 } from './lookup.js';
import { formatFromAccept } from './negotiate.js';
import { catalogIds, presentRun } from './present.js';
import { AuditIdParams, ReportQuery } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'get',
  path: '/v1/audits/{id}/report',
  operationId: 'getAuditReport',
  summary: 'Get the report',
  description:
    'Root causes first, then the observation → component → guide references table. Format by `?format=` or `Accept`: ' +
    '`application/json`, `application/xml` (JUnit, one testsuite per group), `text/markdown`. A report of an unfinished audit shows the results so far.',
  request: { params: AuditIdParams, query: ReportQuery, headers: conditionalHeaders },
  responses: {
    200: {
      description: 'The report',
      headers: etagHeader,
      content: Object.fromEntries(reportFormats().map(([, spec]) => [spec.accepts[0], { schema: spec.schema }])),
    },
    ...notModifiedResponse,
    ...notFoundResponse,
    ...notAcceptableResponse,
  },
});

/** `application/json (JSON), application/xml (JUnit XML) or text/markdown (Markdown)`. */
function acceptable(): string {
  const each = reportFormats().map(([, spec]) => `${spec.accepts[0]} (${spec.label})`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} or ${each.at(-1)}` : (each[0] ?? '');
}

/** `GET /v1/audits/{id}/report`: JSON, JUnit XML or Markdown by negotiation. */
export function registerGetReport(app: Router): void {
  app.openapi(route, (c) => {
    const { id } = c.req.valid('param');
    const format = c.req.valid('query').format ?? formatFromAccept(c.req.header('accept'));
    if (!format) {
      throw new ApiError('not_acceptable', {
        detail: `Accept ${acceptable()}, or pass ?format=${REPORT_FORMAT_NAMES.join('|')}.`,
      });
    }
    const run = findRunRowOr404(c.var.store, id, c.var.principal);
    return cachedBody(
      c,
      run,
      reportKey(format),
      () => ({
        body: renderReport(presentRun(run, c.var.store.getResults(run.id), catalogIds(c.var.catalog)), format),
        contentType: REPORT_FORMATS[format].mediaType,
      }),
      REPORT_HEADERS,
    );
  });
}
