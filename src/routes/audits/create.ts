import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors.js';
import { commonErrorResponses, unsupportedMediaResponse } from '../../http/responses.js';
import { bearerSecurity, type Router } from '../../http/router.js';
import { labelsFromQuery, type RawAuditInput, toAuditRequest } from './intake.js';
import { auditLinks } from './present.js';
import { AuditAccepted, CreateAuditBody, CreateAuditQuery } from './schema.js';

const route = createRoute({
  method: 'post',
  path: '/v1/audits',
  tags: ['audits'],
  summary: 'Start an audit',
  description:
    'Submits a kubeconfig and starts an audit in the background. Send JSON, or the raw kubeconfig with ' +
    '`Content-Type: application/yaml` (`curl --data-binary @kubeconfig`) and `context`/`checks`/`label` as query parameters.',
  security: bearerSecurity,
  request: {
    query: CreateAuditQuery,
    body: {
      required: false,
      description: 'JSON request, or the raw kubeconfig as YAML',
      content: {
        'application/json': { schema: CreateAuditBody },
        'application/yaml': {
          schema: z.string().openapi({ description: 'Raw kubeconfig text', example: 'apiVersion: v1\nkind: Config\n' }),
        },
      },
    },
  },
  responses: {
    202: {
      description: 'Accepted; follow `Location` or `links`',
      headers: { Location: { description: 'The new audit', schema: { type: 'string' } } },
      content: { 'application/json': { schema: AuditAccepted } },
    },
    ...commonErrorResponses,
    ...unsupportedMediaResponse,
  },
});

function mediaType(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
}

export function registerCreateAudit(app: Router): void {
  app.openapi(route, async (c) => {
    let input: RawAuditInput;
    const type = mediaType(c.req.header('content-type'));
    if (type === 'application/yaml') {
      const query = c.req.valid('query');
      input = {
        kubeconfig: await c.req.text(),
        ...(query.context ? { context: query.context } : {}),
        ...(query.checks
          ? {
              checks: query.checks
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : {}),
        labels: labelsFromQuery(query.label, 'query.label'),
      };
    } else if (type === 'application/json') {
      // The typed union includes the YAML string schema, but only JSON bodies reach this branch.
      input = c.req.valid('json') as CreateAuditBody;
    } else {
      throw new ApiError('validation_failed', {
        detail: 'Send a JSON body with `kubeconfig`, or the raw kubeconfig with Content-Type: application/yaml.',
        errors: [{ path: 'body', message: 'required' }],
      });
    }
    const run = c.var.runner.submit(toAuditRequest(input, c.var.catalog));
    const links = auditLinks(run.id);
    c.header('Location', links.self);
    return c.json({ id: run.id, status: 'queued' as const, warnings: run.warnings, links }, 202);
  });
}
