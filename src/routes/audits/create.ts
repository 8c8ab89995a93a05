import { z } from '@hono/zod-openapi';
import { QueueFullError } from '../../engine/service/runner.js';
import { ApiError, invalidField } from '../../http/errors.js';
import { acceptMediaTypes, mediaType } from '../../http/media-type.js';
import { MAX_PREFER_WAIT_SECONDS, preferredWaitSeconds } from '../../http/prefer.js';
import { tooManyRequestsResponse, unavailableResponse, unsupportedMediaResponse } from '../../http/responses.js';
import { v1Route } from '../../http/route.js';
import type { Router } from '../../http/router.js';
import { admitCallback, admitTargets, rawKubeconfigInput, toAuditRequest } from './intake.js';
import { findRunOr404 } from './lookup.js';
import { auditLinks, catalogIds, presentRunDetail } from './present.js';
import { AuditAccepted, AuditRunDetailSchema, CreateAuditBody, CreateAuditQuery } from './schema.js';

const JSON_TYPE = 'application/json';
const YAML = 'application/yaml';

const route = v1Route({
  tag: 'audits',
  method: 'post',
  path: '/v1/audits',
  operationId: 'createAudit',
  summary: 'Start an audit',
  description:
    'Submits a kubeconfig and starts an audit in the background. Send JSON, or the raw kubeconfig with ' +
    '`Content-Type: application/yaml` (`curl --data-binary @kubeconfig`) and `context`/`checks`/`label` as query parameters. ' +
    `With \`Prefer: wait=<seconds>\` (RFC 7240, at most ${MAX_PREFER_WAIT_SECONDS} s) the answer waits for the audit: ` +
    'the finished audit (200) when it ends in time, else the usual 202; `Preference-Applied` says what was honoured.',
  // Before the validators: a wrong Content-Type gets a problem that says what to send.
  middleware: acceptMediaTypes([JSON_TYPE, YAML]),
  request: {
    headers: z.object({
      prefer: z
        .string()
        .optional()
        .openapi({ description: 'RFC 7240 preferences; `wait=<seconds>` is honoured', example: 'wait=60' }),
    }),
    query: CreateAuditQuery,
    body: {
      required: false,
      description: 'JSON request, or the raw kubeconfig as YAML',
      content: {
        [JSON_TYPE]: { schema: CreateAuditBody },
        [YAML]: {
          schema: z.string().openapi({ description: 'Raw kubeconfig text', example: 'apiVersion: v1\nkind: Config\n' }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Finished within `Prefer: wait`: the audit with every result',
      headers: {
        Location: { description: 'The audit', schema: { type: 'string' } },
        'Preference-Applied': { description: 'The honoured `wait`', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: AuditRunDetailSchema } },
    },
    202: {
      description: 'Accepted; follow `Location` or `links`',
      headers: { Location: { description: 'The new audit', schema: { type: 'string' } } },
      content: { 'application/json': { schema: AuditAccepted } },
    },
    ...unsupportedMediaResponse,
    ...tooManyRequestsResponse,
    ...unavailableResponse,
  },
});

/** `POST /v1/audits`: validates the kubeconfig and selection, queues the audit (202). */
export function registerCreateAudit(app: Router): void {
  app.openapi(route, async (c) => {
    if (!c.var.runner.isAlive()) {
      throw new ApiError('unavailable', {
        detail: 'kubeproof is shutting down and accepts no new audits; retry shortly.',
      });
    }
    const type = mediaType(c.req.header('content-type'));
    if (type === '') {
      throw invalidField('body', 'required: a JSON body with `kubeconfig`, or the raw kubeconfig as application/yaml');
    }
    const input =
      type === YAML
        ? rawKubeconfigInput(await c.req.text(), c.req.valid('query'))
        : // The typed union includes the YAML string schema, but only JSON bodies reach this branch.
          (c.req.valid('json') as CreateAuditBody);
    const request = {
      ...toAuditRequest(input, c.var.catalog, c.var.settings.defaultNamespace),
      owner: c.var.principal?.name,
    };
    await admitTargets(request, c.var.outbound);
    const callback = await admitCallback(input, c.var.outbound, {
      secretNames: c.var.settings.callbackSecretNames ?? [],
      http: c.var.settings.httpCallbacks ?? 'never',
    });
    if (callback) request.callback = callback;
    let run: ReturnType<typeof c.var.runner.submit>;
    try {
      run = c.var.runner.submit(request);
    } catch (err) {
      if (!(err instanceof QueueFullError)) throw err;
      throw new ApiError('too_many_requests', {
        detail: `kubeproof is busy: ${err.message}`,
        headers: { 'Retry-After': String(err.retryAfterSeconds) },
      });
    }
    // Ties the access log line of this request to the run's own lines.
    c.var.logger.info('audit queued', { requestId: c.var.requestId, runId: run.id });
    const links = auditLinks(run.id);
    c.header('Location', links.self);
    const wait = preferredWaitSeconds(c.req.header('prefer'));
    if (wait !== undefined) {
      c.header('Preference-Applied', `wait=${wait}`);
      if (await finishedWithin(c.var.runner.whenFinished(run.id), wait * 1000, c.req.raw.signal)) {
        const finished = findRunOr404(c.var.store, run.id, c.var.principal);
        return c.json(
          presentRunDetail(
            finished.run,
            finished.results,
            c.var.store.webhookAttempts(run.id),
            catalogIds(c.var.catalog),
          ),
          200,
        );
      }
    }
    return c.json({ id: run.id, status: 'queued' as const, warnings: run.warnings, links }, 202);
  });
}

/** Whether `finished` settles within `ms`; false at once when the client goes away. */
async function finishedWithin(finished: Promise<void>, ms: number, clientGone: AbortSignal): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    onAbort = () => resolve(false);
    clientGone.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([finished.then(() => true as const), giveUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) clientGone.removeEventListener('abort', onAbort);
  }
}
