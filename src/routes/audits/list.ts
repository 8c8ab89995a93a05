import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { normalizeServerUrl } from '../../kube/kubeconfig/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { labelsFromQuery } from './intake.js';
import { presentRunSummary } from './present.js';
import { AuditList, ListAuditsQuery } from './schema.js';

const route = v1Route({
  tag: 'audits',
  method: 'get',
  path: '/v1/audits',
  operationId: 'listAudits',
  summary: 'List audits',
  description: 'Newest first, with cursor pagination; filter by status, API server URL and labels.',
  request: { query: ListAuditsQuery },
  responses: {
    200: { description: 'A page of audits', content: { 'application/json': { schema: AuditList } } },
  },
});

/** `GET /v1/audits`: a page of audits, newest first. */
export function registerListAudits(app: Router): void {
  app.openapi(route, (c) => {
    const query = c.req.valid('query');
    // One extra row tells whether another page exists without a count query.
    const principal = c.var.principal;
    const rows = c.var.store.listRuns({
      limit: query.limit + 1,
      // A tenant lists its own runs; admin and the open API list all.
      ...(principal && !principal.admin ? { owner: principal.name } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.server ? { server: normalizeServerUrl(query.server) } : {}),
      labels: Object.entries(labelsFromQuery(query.label, 'query.label')),
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null;
    return c.json({ items: page.map(presentRunSummary), nextCursor }, 200);
  });
}
