import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { CHECK_GROUPS } from '../../kernel/vocabulary.js';
import { CheckCatalog } from './schema.js';

const route = v1Route({
  tag: 'checks',
  method: 'get',
  path: '/v1/checks',
  operationId: 'listChecks',
  summary: 'List the checks',
  description:
    'The catalog: id, title, group, component confirmed, guide references, prerequisites and the RBAC each needs.',
  responses: {
    200: { description: 'The catalog', content: { 'application/json': { schema: CheckCatalog } } },
  },
});

/** `GET /v1/checks`: the catalog. */
export function registerListChecks(app: Router): void {
  app.openapi(route, (c) => {
    const items = c.var.catalog.list().map((entry) => ({
      ...entry,
      references: [...entry.references],
      prerequisites: [...entry.prerequisites],
      rbac: entry.rbac.map((need) => ({ ...need })),
    }));
    return c.json({ items, groups: [...CHECK_GROUPS] }, 200);
  });
}
