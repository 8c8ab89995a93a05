import { z } from '@hono/zod-openapi';
import { SharedNamespace } from '../../checks/workload-options.js';

export const RbacQuery = z.object({
  checks: z.string().min(1).optional().openapi({
    description: 'Comma-separated check ids or groups (prerequisites added); default every check',
    example: 'preflight,smoke',
  }),
  namespace: SharedNamespace.optional().openapi({
    description:
      'Least-privilege mode: the existing namespace audits run in (`options.namespace`). Renders a Role there for ' +
      'everything the run does (its pods, exec, port-forward, logs, Deployments, Services, cleanup by label) and only ' +
      'read-only cluster-wide rules; no namespace is created or deleted',
    example: 'kubeproof-audits',
  }),
});
