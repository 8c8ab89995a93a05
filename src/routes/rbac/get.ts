import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_SELECTION, resolveSelection } from '../../engine/suite/selection.js';
import { ApiError } from '../../http/errors.js';
import { commonErrorResponses } from '../../http/responses.js';
import { bearerSecurity, type Router } from '../../http/router.js';
import { commaList } from '../../kernel/text.js';
import { renderRbacManifests } from '../../rbac/manifests.js';
import { permissionsOf } from '../../rbac/permission.js';
import { RbacQuery } from './schema.js';

const route = createRoute({
  method: 'get',
  path: '/v1/rbac',
  operationId: 'getRbacManifests',
  tags: ['checks'],
  summary: 'RBAC manifests for the selected checks',
  description:
    'Least-privilege ServiceAccount, ClusterRole/Role and bindings (YAML) that the selected checks need, with the ' +
    '`kubectl create token` command to get a token kubeconfig for kubeproof.',
  security: bearerSecurity,
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
    ...commonErrorResponses,
  },
});

/** `GET /v1/rbac`: the least-privilege RBAC manifests for a selection. */
export function registerGetRbac(app: Router): void {
  app.openapi(route, (c) => {
    const raw = c.req.valid('query').checks;
    const names = raw ? commaList(raw) : [...DEFAULT_SELECTION];
    const catalog = c.var.catalog.list();
    const { ids, unknown } = resolveSelection(catalog, names);
    if (unknown.length > 0) {
      throw new ApiError('unknown_checks', { detail: `Unknown check ids or groups: ${unknown.join(', ')}.`, unknown });
    }
    const needs = permissionsOf(catalog.filter((entry) => ids.includes(entry.id)));
    return c.body(renderRbacManifests(needs), 200, { 'content-type': 'application/yaml; charset=utf-8' });
  });
}
