import { z } from '@hono/zod-openapi';
import { GuideReferenceSchema } from '../audits/schema.js';

export const RbacNeedSchema = z
  .object({
    verb: z.string().openapi({ description: 'Kubernetes verb', example: 'create' }),
    group: z.string().openapi({ description: 'API group ("" for core)', example: 'apps' }),
    resource: z.string().openapi({ description: 'Resource (plural)', example: 'deployments' }),
    subresource: z.string().optional().openapi({ description: 'Subresource', example: 'scale' }),
    scope: z.enum(['run', 'kube-system', 'cluster']).openapi({
      description: "`run`: the audit's own namespace; `kube-system`; `cluster`: cluster-scoped or all namespaces",
      example: 'run',
    }),
  })
  .openapi('RbacNeed');

export const CatalogEntrySchema = z
  .object({
    id: z.string().openapi({ description: 'Check id (stable, part of the API)', example: 'dns.service' }),
    title: z
      .string()
      .openapi({ description: 'What the check observes', example: 'Service names resolve through cluster DNS' }),
    group: z
      .enum(['preflight', 'smoke', 'encryption'])
      .openapi({ description: 'Group a request may select', example: 'smoke' }),
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
