import { z } from '@hono/zod-openapi';
import { CHECK_GROUPS, RBAC_SCOPES } from '../../kernel/vocabulary.js';
import { GuideReferenceSchema } from '../../report/schema.js';

export const RbacNeedSchema = z
  .object({
    verb: z.string().openapi({ description: 'Kubernetes verb', example: 'create' }),
    group: z.string().openapi({ description: 'API group ("" for core and for non-resource URLs)', example: 'apps' }),
    resource: z
      .string()
      .openapi({ description: 'Resource (plural); "" for a non-resource URL', example: 'deployments' }),
    subresource: z.string().optional().openapi({ description: 'Subresource', example: 'scale' }),
    nonResourceURL: z.string().optional().openapi({
      description: 'A non-resource URL (granted by a ClusterRole `nonResourceURLs` rule) instead of a resource',
      example: '/metrics',
    }),
    scope: z.enum(RBAC_SCOPES).openapi({
      description: "`run`: the audit's own namespace; `kube-system`; `cluster`: cluster-scoped or all namespaces",
      example: 'run',
    }),
    optional: z.boolean().optional().openapi({
      description:
        'The check runs without it, with weaker evidence; preflight.api only warns when it is missing (absent: required)',
      example: true,
    }),
    purpose: z.string().optional().openapi({
      description: 'What the permission is for (for optional ones: what it enables)',
      example: 'enables the etcd-exec strategy of secrets.encryption (etcdctl in the etcd static pod)',
    }),
  })
  .openapi('RbacNeed');

export const CatalogEntrySchema = z
  .object({
    id: z.string().openapi({ description: 'Check id (stable, part of the API)', example: 'dns.service' }),
    title: z
      .string()
      .openapi({ description: 'What the check observes', example: 'Service names resolve through cluster DNS' }),
    group: z.enum(CHECK_GROUPS).openapi({ description: 'Group a request may select', example: 'smoke' }),
    component: z.string().openapi({ description: 'Component the observation confirms', example: 'CoreDNS' }),
    references: z.array(GuideReferenceSchema).openapi({ description: 'Guide chapters that built the component' }),
    prerequisites: z
      .array(z.string())
      .openapi({ description: 'Checks that must pass first', example: ['workload.rollout'] }),
    disruptive: z
      .boolean()
      .openapi({ description: 'Deletes, scales or kills something; runs after the others', example: false }),
    rbac: z.array(RbacNeedSchema).openapi({ description: 'Permissions the check needs' }),
  })
  .openapi('CatalogEntry');

export const CheckCatalog = z
  .object({
    items: z.array(CatalogEntrySchema).openapi({ description: 'Every check' }),
    groups: z.array(z.string()).openapi({ description: 'Group names', example: ['preflight', 'smoke', 'encryption'] }),
  })
  .openapi('CheckCatalog');
