import { z } from '@hono/zod-openapi';
import { DEFAULT_SELECTION } from '../../engine/suite/selection.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { commaList } from '../../kernel/text.js';
import { renderRbacManifests } from '../../rbac/manifests.js';
import { permissionsOf } from '../../rbac/permission.js';
import { namespaceModeNeeds } from '../../workload/rbac.js';
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
    '`kubectl create token` command to get a token kubeconfig for kubeproof; every rule is commented with what it is ' +
    'for. With `namespace`, the grants of the least-privilege mode (audits with `options.namespace`): a Role in that ' +
    'existing namespace and read-only cluster-wide rules.',
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
    const { checks: raw, namespace } = c.req.valid('query');
    const ids = selectedChecks(c.var.catalog, raw ? commaList(raw) : [...DEFAULT_SELECTION]);
    // Each check's needs in the mode asked for, as the engine maps them (suite.ts), with its id for the comments.
    const needs = permissionsOf(
      c.var.catalog
        .list()
        .filter((entry) => ids.includes(entry.id))
        .map((entry) => ({
          rbac: (namespace ? namespaceModeNeeds(entry.rbac) : entry.rbac).map((n) => ({ ...n, usedBy: entry.id })),
        })),
    );
    return c.body(renderRbacManifests(needs, namespace), 200, { 'content-type': 'application/yaml; charset=utf-8' });
  });
}
