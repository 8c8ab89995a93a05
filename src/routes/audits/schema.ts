import { z } from '@hono/zod-openapi';
import { AuditOptions } from '../../checks/options.js';
import { EVENT_LEVELS } from '../../kernel/vocabulary.js';
import { ReportFormatSchema } from '../../report/formats.js';
import { AuditLinks, AuditRunSchema, AuditRunSummarySchema, EXAMPLE_ID, RunStatusSchema } from '../../report/schema.js';
import { ATTEMPT_OUTCOMES, CALLBACK_STATES, REPLAY_WINDOW_SECONDS } from '../../webhook/vocabulary.js';

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

const CallbackUrl = z
  .string()
  .min(1)
  .max(2048)
  .openapi({
    description:
      'When the audit ends, its summary is POSTed here as JSON (`audit.finished`), retried with back-off on no answer, 5xx, 408 and 429. ' +
      'https:// (http:// only where the operator allows it); the address must pass the outbound policy.',
    example: 'https://ci.example.com/hooks/kubeproof',
  });

const CallbackSecretName = z
  .string()
  .min(1)
  .max(63)
  .openapi({
    description:
      `The *name* of a secret configured on the server (KUBEPROOF_CALLBACK_SECRETS), never its value: deliveries are signed ` +
      `\`X-Kubeproof-Signature: t=<unix>,v1=<hex HMAC-SHA256 of t + "." + body>\`; reject timestamps older than ${REPLAY_WINDOW_SECONDS} s.`,
    example: 'ci',
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
    callbackUrl: CallbackUrl.optional(),
    callbackSecret: CallbackSecretName.optional(),
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
  callbackUrl: CallbackUrl.optional(),
  callbackSecret: CallbackSecretName.optional(),
});

export const AuditAccepted = z
  .object({
    id: z.string().openapi({ description: 'The audit id', example: EXAMPLE_ID }),
    status: z.literal('queued').openapi({ description: 'Always `queued` on creation', example: 'queued' }),
    warnings: z.array(z.string()).openapi({ description: 'Accepted but risky settings', example: [] }),
    links: AuditLinks,
  })
  .openapi('AuditAccepted');

export const WebhookAttemptSchema = z
  .object({
    attempt: z.number().int().openapi({ description: '1 for the first attempt', example: 1 }),
    at: z.string().openapi({ description: 'When it was sent', example: '2025-01-01T10:01:10.050Z' }),
    durationMs: z.number().int().openapi({ description: 'Until the status line (or the failure)', example: 42 }),
    statusCode: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The receiver's status; null when it never answered", example: 503 }),
    outcome: z.enum(ATTEMPT_OUTCOMES).openapi({
      description:
        '`delivered` (2xx), `rejected` (another status; redirects are not followed), `unreachable`, `refused` (outbound policy at dial time), `abandoned` (kubeproof stopped)',
      example: 'rejected',
    }),
    error: z.string().nullable().openapi({ description: 'What went wrong, when something did', example: null }),
    retryInMs: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Wait before the next attempt; null when this was the last', example: 2000 }),
  })
  .openapi('WebhookAttempt');

export const AuditCallbackSchema = z
  .object({
    url: z.string().openapi({ description: 'The callbackUrl', example: 'https://ci.example.com/hooks/kubeproof' }),
    secret: z
      .string()
      .nullable()
      .openapi({ description: 'The name of the signing secret; null: unsigned', example: 'ci' }),
    state: z.enum(CALLBACK_STATES).openapi({
      description: '`pending` until the run ends and the delivery settles, then `delivered`, `failed` or `abandoned`',
      example: 'delivered',
    }),
    attempts: z.array(WebhookAttemptSchema).openapi({ description: 'Every delivery attempt, in order' }),
  })
  .openapi('AuditCallback');

/** An audit as GET /v1/audits/{id} shows it: results and the callback's delivery. */
export const AuditRunDetailSchema = AuditRunSchema.extend({
  callback: AuditCallbackSchema.nullable().openapi({
    description: 'The webhook and its attempts; null without callbackUrl',
  }),
}).openapi('AuditRunDetail');

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
