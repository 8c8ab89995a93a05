/**
 * The report's data as the API serves it (and renderers read it): the run, its results, and the
 * report built from them. HTTP-free, so that src/report/ never imports src/routes/.
 */
import { z } from '@hono/zod-openapi';
import { CHECK_CAUSES, CHECK_STATUSES, ROOT_CAUSE_STATUSES, RUN_STATUSES, SKIP_REASONS } from '../kernel/vocabulary.js';

/** The run id the document's examples use. */
export const EXAMPLE_ID = '0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69';

export const RunStatusSchema = z.enum(RUN_STATUSES).openapi('RunStatus', {
  description:
    '`queued → running → passed | failed | error | cancelled | interrupted`. `failed`: the cluster failed at least one check. ' +
    '`error`: kubeproof could not tell and nothing failed. `interrupted`: kubeproof stopped mid-run.',
  example: 'failed',
});

export const AuditLinks = z
  .object({
    self: z.string().openapi({ description: 'This audit', example: `/v1/audits/${EXAMPLE_ID}` }),
    report: z
      .string()
      .openapi({ description: 'The report (json, junit or markdown)', example: `/v1/audits/${EXAMPLE_ID}/report` }),
    events: z.string().openapi({
      description: 'Progress events (JSON or Server-Sent Events)',
      example: `/v1/audits/${EXAMPLE_ID}/events`,
    }),
    cancel: z.string().openapi({ description: 'POST here to cancel', example: `/v1/audits/${EXAMPLE_ID}/cancel` }),
  })
  .openapi('AuditLinks');

export const GuideReferenceSchema = z
  .object({
    label: z.string().openapi({ description: 'Short reference', example: 'article 12' }),
    title: z.string().optional().openapi({ description: 'Chapter title', example: 'kube-proxy' }),
    url: z.string().optional().openapi({
      description: "Link to the chapter (or to the guide's index when the chapter has no address of its own)",
      example: 'https://kkloudtarus.net/en/blog/series/kubernetes-from-scratch',
    }),
  })
  .openapi('GuideReference');

export const CheckCauseSchema = z.enum(CHECK_CAUSES).openapi('CheckCause', {
  description:
    'Why kubeproof could not tell (an `error` result): `permission` (RBAC refused kubeproof), `credentials` (401), ' +
    '`policy` (an admission policy denied what kubeproof creates: Pod Security, a webhook, a ValidatingAdmissionPolicy, ' +
    'a ResourceQuota, a LimitRange), `unreachable`, `timeout` (too slow to tell within the budget), `cancelled`, `unexpected`.',
  example: 'policy',
});

export const SkipReasonSchema = z.enum(SKIP_REASONS).openapi('SkipReason', {
  description:
    'Why a check was skipped: `blocked` (a prerequisite did not pass, see blockedBy), `not-observable` (the cluster does ' +
    'not let anyone outside its provider observe this, e.g. etcd on a managed control plane; the summary says what to ' +
    'check instead; does not make the run `error`), `not-run` (the audit was cancelled or reached its deadline first).',
  example: 'not-observable',
});

export const CheckResultSchema = z
  .object({
    id: z.string().openapi({ description: 'Check id', example: 'service.loadbalancing' }),
    title: z
      .string()
      .openapi({ description: 'What the check observes', example: 'Calls to the ClusterIP land on more than one pod' }),
    group: z.string().openapi({ description: 'Check group', example: 'smoke' }),
    component: z.string().openapi({ description: 'The component this observation confirms', example: 'kube-proxy' }),
    references: z.array(GuideReferenceSchema).openapi({ description: 'Guide chapters that built the component' }),
    status: z.enum(CHECK_STATUSES).openapi({ description: '`error`: kubeproof could not tell', example: 'failed' }),
    startedAt: z.string().openapi({ description: 'ISO 8601 start time', example: '2025-01-01T10:00:00.000Z' }),
    finishedAt: z.string().openapi({ description: 'ISO 8601 end time', example: '2025-01-01T10:00:02.500Z' }),
    durationMs: z.number().int().openapi({ description: 'Duration in milliseconds', example: 2500 }),
    summary: z.string().openapi({
      description: 'One line an operator reads first',
      example: '10 calls all answered by web-578474b6fc-8rsb8',
    }),
    evidence: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'What was observed', example: { answers: ['web-578474b6fc-8rsb8'] } }),
    hint: z
      .string()
      .optional()
      .openapi({ description: 'How to fix it (when not passed)', example: 'Check kube-proxy on every node' }),
    warnings: z.array(z.string()).openapi({
      description:
        'What to know whatever the status: a passed check keeps its warnings (weak provider, indirect evidence)',
      example: ['aescbc is considered weak by upstream; move to secretbox or KMS v2'],
    }),
    cause: CheckCauseSchema.optional().openapi({ description: 'Present exactly when status is `error`' }),
    reason: SkipReasonSchema.optional().openapi({ description: 'Present when status is `skipped`' }),
    blockedBy: z
      .array(z.string())
      .optional()
      .openapi({ description: 'When skipped: the failed prerequisites', example: ['workload.rollout'] }),
  })
  .openapi('CheckResult');

export const ClusterIdentitySchema = z
  .object({
    server: z.string().openapi({ description: 'API server URL', example: 'https://10.0.0.10:6443' }),
    clusterName: z.string().openapi({ description: 'Cluster name in the kubeconfig', example: 'kubernetes' }),
    contextName: z.string().openapi({ description: 'Context used', example: 'admin@kubernetes' }),
    serverVersion: z
      .string()
      .nullable()
      .openapi({ description: 'gitVersion from /version, once known', example: 'v1.32.0' }),
  })
  .openapi('ClusterIdentity');

export const SummaryCounts = z
  .object({
    total: z.number().int().openapi({ description: 'Results so far', example: 16 }),
    passed: z.number().int().openapi({ description: 'Passed checks', example: 14 }),
    failed: z.number().int().openapi({ description: 'Failed checks', example: 1 }),
    skipped: z.number().int().openapi({ description: 'Skipped checks', example: 1 }),
    error: z.number().int().openapi({ description: 'Checks kubeproof could not decide', example: 0 }),
  })
  .openapi('SummaryCounts');

export const CleanupSchema = z
  .object({
    namespace: z.string().nullable().openapi({ description: 'The run namespace', example: 'kubeproof-0b6f4c1e' }),
    deleted: z.boolean().openapi({ description: 'Whether deletion completed', example: true }),
    detail: z.string().nullable().openapi({ description: 'What happened when not deleted', example: null }),
  })
  .openapi('Cleanup');

export const AuditRunSummarySchema = z
  .object({
    id: z.string().openapi({ description: 'The audit id', example: EXAMPLE_ID }),
    status: RunStatusSchema,
    createdAt: z.string().openapi({ description: 'When it was submitted', example: '2025-01-01T10:00:00.000Z' }),
    startedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When it started running', example: '2025-01-01T10:00:00.100Z' }),
    finishedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When it reached a final status', example: '2025-01-01T10:01:10.000Z' }),
    durationMs: z.number().int().nullable().openapi({ description: 'Running time, once finished', example: 69900 }),
    cluster: ClusterIdentitySchema,
    selection: z.array(z.string()).openapi({ description: 'Checks and groups requested', example: ['smoke'] }),
    options: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Options used (secrets removed)', example: { replicas: 3 } }),
    labels: z
      .record(z.string(), z.string())
      .openapi({ description: 'Labels given at submission', example: { pipeline: 'nightly' } }),
    warnings: z.array(z.string()).openapi({ description: 'Accepted but risky settings', example: [] }),
    summary: SummaryCounts,
    cleanup: CleanupSchema.nullable(),
    errorDetail: z
      .string()
      .nullable()
      .openapi({ description: 'Why the run ended error/cancelled/interrupted', example: null }),
    links: AuditLinks,
  })
  .openapi('AuditRunSummary');
export type AuditRunSummary = z.infer<typeof AuditRunSummarySchema>;

export const AuditRunSchema = AuditRunSummarySchema.extend({
  checks: z.array(CheckResultSchema).openapi({
    description: 'Results in catalog order (the order of `GET /v1/checks`), whatever order they finished in',
  }),
}).openapi('AuditRun');
export type AuditRun = z.infer<typeof AuditRunSchema>;

export const RootCauseSchema = z
  .object({
    id: z.string().openapi({ description: 'Check id', example: 'service.loadbalancing' }),
    title: z
      .string()
      .openapi({ description: 'Check title', example: 'Calls to the ClusterIP land on more than one pod' }),
    component: z
      .string()
      .openapi({ description: 'Component to examine, by name', example: 'kube-proxy (load balancing)' }),
    status: z.enum(ROOT_CAUSE_STATUSES).openapi({ description: 'Verdict', example: 'failed' }),
    cause: z
      .enum(CHECK_CAUSES)
      .nullable()
      .openapi({ description: 'Why kubeproof could not tell (see CheckCause); null when failed', example: null }),
    summary: z.string().openapi({ description: 'What was seen', example: '10 calls all answered by one pod' }),
    hint: z.string().nullable().openapi({ description: 'How to fix it', example: 'Check kube-proxy on every node' }),
    warnings: z.array(z.string()).openapi({ description: "The check's warnings", example: [] }),
    references: z.array(GuideReferenceSchema).openapi({ description: 'Where the component was built' }),
    blocks: z.array(z.string()).openapi({ description: 'Checks skipped because of this one', example: [] }),
  })
  .openapi('RootCause');

export const ObservationRowSchema = z
  .object({
    checkId: z.string().openapi({ description: 'Check id', example: 'service.loadbalancing' }),
    status: z.enum(CHECK_STATUSES).openapi({ description: 'Verdict', example: 'passed' }),
    observation: z.string().openapi({ description: 'What was observed', example: 'pod name changes between calls' }),
    component: z
      .string()
      .openapi({ description: 'Component it confirms, by name', example: 'kube-proxy (load balancing)' }),
    references: z.string().openapi({ description: 'Guide chapters on one line', example: 'article 12 (kube-proxy)' }),
    guide: z.array(GuideReferenceSchema).openapi({ description: 'The same guide chapters, with their URLs' }),
    why: z.string().nullable().openapi({
      description: "The check's cause (when error) or skip reason (when skipped)",
      example: null,
    }),
    warnings: z.array(z.string()).openapi({ description: "The check's warnings, whatever its status", example: [] }),
  })
  .openapi('ObservationRow');

export const AuditReportSchema = z
  .object({
    audit: AuditRunSummarySchema,
    rootCauses: z
      .array(RootCauseSchema)
      .openapi({ description: 'Failures first, then undecided checks; blocked checks are not root causes' }),
    table: z.array(ObservationRowSchema).openapi({ description: 'Observation → component → references' }),
    checks: z.array(CheckResultSchema).openapi({ description: 'Every result with its evidence' }),
  })
  .openapi('AuditReport');
