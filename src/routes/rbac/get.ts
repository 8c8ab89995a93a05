import { z } from '@hono/zod-openapi';
import { DEFAULT_SELECTION } from '../../engine/suite/selection.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { commaList } from '../../kernel/text.js';
import { renderRbacManifests } from '../../rbac/manifests.js';
import { permissionsOf } from '../../rbac/permission.js';
import { selectedChecks } from '../selection.js';
import { RbacQuery } from './schema.js';

const route = v1Route({
  tag: 'checks',
  method: 'get',
  path: '/v1/rbac',
  operationId: 'getRbacManifests',
  summary: 'RBAC manifests for the selected checks',
  description:
    'Least-privilege ServiceAccount, ClusterRole/Role and bindings (YAML) that the selected checks need, with the ' +
    '`kubectl create token` command to get a token kubeconfig for kubeproof.',
  request: { query: RbacQuery },
  responses: {
    200: {
      description: 'Kubernetes manifests',
      content: {
        'application/yaml': {
          schema: z.string().openapi({ description: 'YAML stream', example: 'apiVersion: v1\nkind: ServiceAccount\n' }),
        },
      },
    },
  },
});

/** `GET /v1/rbac`: the least-privilege RBAC manifests for a selection. */
export function registerGetRbac(app: Router): void {
  app.openapi(route, (c) => {
    const raw = c.req.valid('query').checks;
    const ids = selectedChecks(c.var.catalog, raw ? commaList(raw) : [...DEFAULT_SELECTION]);
    const needs = permissionsOf(c.var.catalog.list().filter((entry) => ids.includes(entry.id)));
    return c.body(renderRbacManifests(needs), 200, { 'content-type': 'application/yaml; charset=utf-8' });
  });
}
