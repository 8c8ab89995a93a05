import { z } from '@hono/zod-openapi';
import { AuditOptions } from '../../checks/options.js';
import { EVENT_LEVELS } from '../../kernel/vocabulary.js';
import { ReportFormatSchema } from '../../report/formats.js';
import { AuditLinks, AuditRunSummarySchema, EXAMPLE_ID, RunStatusSchema } from '../../report/schema.js';

/** Label keys: also what makes them safe inside a SQLite JSON path. */
export const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

export const Labels = z
  .record(
    z.string().regex(LABEL_KEY, 'label keys are 1-63 characters: letters, digits, ".", "_", "/", "-"'),
    z.string().max(256),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels')
  .openapi({
    description: 'Free-form labels to find the run later (`GET /v1/audits?label=k=v`)',
    example: { pipeline: 'nightly', env: 'staging' },
  });

export const CheckSelection = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(100)
  .openapi({
    description:
      'Check ids or group names (`preflight`, `smoke`, `encryption`); prerequisites are added. Default: every group.',
    example: ['smoke'],
  });

export const CreateAuditBody = z
  .object({
    kubeconfig: z
      .string()
      .min(1)
      .openapi({
        description:
          'The kubeconfig text (YAML or JSON). Only allow-listed fields are accepted: inline certificate data, token, username/password. ' +
          'Never stored or logged.',
        example: 'apiVersion: v1\nkind: Config\ncurrent-context: audit\nclusters: [...]\n',
      }),
    context: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Context to use; default is current-context', example: 'kind-dev' }),
    checks: CheckSelection.optional(),
    options: AuditOptions.optional().openapi({
      description: 'Tuning of the in-cluster workload and the encryption check',
    }),
    labels: Labels.optional(),
  })
  // A misspelt field ("check" for "checks") must be a 400, not silently run something else.
  .strict()
  .openapi('CreateAuditRequest');
export type CreateAuditBody = z.infer<typeof CreateAuditBody>;

export const CreateAuditQuery = z.object({
  context: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: 'With a raw kubeconfig body: the context to use', example: 'kind-dev' }),
  checks: z.string().min(1).optional().openapi({
    description: 'With a raw kubeconfig body: comma-separated check ids or groups',
    example: 'preflight,smoke',
  }),
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: 'With a raw kubeconfig body: `key=value`, repeatable', example: 'pipeline=nightly' }),
});

export const AuditAccepted = z
  .object({
    id: z.string().openapi({ description: 'The audit id', example: EXAMPLE_ID }),
    status: z.literal('queued').openapi({ description: 'Always `queued` on creation', example: 'queued' }),
    warnings: z.array(z.string()).openapi({ description: 'Accepted but risky settings', example: [] }),
    links: AuditLinks,
  })
  .openapi('AuditAccepted');

export const AuditIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The audit id', example: EXAMPLE_ID }),
});

export const ListAuditsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size', example: 20 }),
  cursor: z
    .string()
    .optional()
    .openapi({ description: '`nextCursor` of the previous page', example: 'MTczNTcyNTYwMDAwMDowYjZm' }),
  status: RunStatusSchema.optional(),
  server: z
    .string()
    .optional()
    .openapi({ description: 'Only audits of this API server URL', example: 'https://10.0.0.10:6443' }),
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: '`key=value`; repeat to require several', example: 'pipeline=nightly' }),
});

export const AuditList = z
  .object({
    items: z.array(AuditRunSummarySchema).openapi({ description: 'Newest first' }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page', example: null }),
  })
  .openapi('AuditList');

export const CancelAccepted = z
  .object({
    id: z.string().openapi({ description: 'The audit id', example: EXAMPLE_ID }),
    status: z.enum(['cancelling', 'cancelled']).openapi({
      description:
        '`cancelled` when it had not started; `cancelling` while cleanup runs (final status becomes `cancelled`)',
      example: 'cancelling',
    }),
    links: AuditLinks,
  })
  .openapi('CancelAccepted');

export const AuditEventSchema = z
  .object({
    seq: z.number().int().openapi({ description: 'Increasing sequence number (SSE id)', example: 12 }),
    at: z.string().openapi({ description: 'ISO 8601 time', example: '2025-01-01T10:00:05.000Z' }),
    level: z.enum(EVENT_LEVELS).openapi({ description: 'Severity', example: 'info' }),
    message: z
      .string()
      .openapi({ description: 'What happened', example: 'Check workload.rollout passed: 3/3 replicas available' }),
    checkId: z.string().nullable().openapi({ description: 'The check it concerns', example: 'workload.rollout' }),
  })
  .openapi('AuditEvent');

export const AuditEventList = z
  .object({
    items: z.array(AuditEventSchema).openapi({ description: 'Events in order' }),
    status: RunStatusSchema,
    done: z.boolean().openapi({ description: 'True once the run reached a final status', example: false }),
  })
  .openapi('AuditEventList');

export const EventsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .openapi({ description: 'Only events with a larger seq', example: 0 }),
});

export const ReportQuery = z.object({
  format: ReportFormatSchema.optional().openapi({ description: 'Overrides the Accept header', example: 'markdown' }),
});
