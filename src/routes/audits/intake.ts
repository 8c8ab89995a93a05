import type { z } from '@hono/zod-openapi';
import { AuditOptions } from '../../checks/options.js';
import type { AuditRequest } from '../../engine/service/runner.js';
import { DEFAULT_SELECTION } from '../../engine/suite/selection.js';
import { ApiError, invalidField } from '../../http/errors.js';
import { fieldErrors } from '../../http/validation.js';
import type { Catalog } from '../../kernel/catalog.js';
import { commaList } from '../../kernel/text.js';
import { KubeconfigError, sanitizeKubeconfig } from '../../kube/kubeconfig/index.js';
import { ALLOWED_TARGETS_VARIABLE, type OutboundPolicy, OutboundRefusal } from '../../net/outbound-policy.js';
import { admitCallbackUrl, CallbackRefusal, type HttpCallbacks } from '../../webhook/intake.js';
import { selectedChecks } from '../selection.js';
import { type CreateAuditQuery, LABEL_KEY, Labels } from './schema.js';

export interface RawAuditInput {
  kubeconfig: string;
  context?: string;
  checks?: string[];
  options?: unknown;
  labels?: unknown;
  callbackUrl?: string;
  callbackSecret?: string;
}

/** Parses `value` or throws a validation problem listing each failing field under `part`. */
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, part: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(part, parsed.error);
  throw new ApiError('validation_failed', {
    detail: `Invalid ${part}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    errors,
  });
}

/** The raw-kubeconfig form of the request: the body is the kubeconfig, the rest comes from the query. */
export function rawKubeconfigInput(kubeconfig: string, query: z.infer<typeof CreateAuditQuery>): RawAuditInput {
  const input: RawAuditInput = { kubeconfig, labels: labelsFromQuery(query.label, 'query.label') };
  if (query.context) input.context = query.context;
  if (query.callbackUrl) input.callbackUrl = query.callbackUrl;
  if (query.callbackSecret) input.callbackSecret = query.callbackSecret;
  if (query.checks !== undefined) {
    const checks = commaList(query.checks);
    if (checks.length === 0) throw invalidField('query.checks', 'name at least one check id or group');
    input.checks = checks;
  }
  return input;
}

/** Every target the request names, with where it came from. */
function targetsOf(request: AuditRequest): Array<{ url: string; field: string }> {
  const endpoints = request.options.encryption.etcd?.endpoints ?? [];
  return [
    { url: request.credentials.server, field: 'kubeconfig.server' },
    ...endpoints.map((url, i) => ({ url, field: `body.options.encryption.etcd.endpoints.${i}` })),
  ];
}

/**
 * Refuses (400 `outbound_policy`, nothing dialled) a request naming a target the outbound policy
 * does not let through; names are resolved once here, and again by the dial itself.
 */
export async function admitTargets(request: AuditRequest, outbound: OutboundPolicy): Promise<void> {
  for (const { url, field } of targetsOf(request)) {
    try {
      await outbound.admit(url);
    } catch (err) {
      if (!(err instanceof OutboundRefusal)) throw err;
      throw new ApiError('outbound_policy', {
        detail: `${field}: ${err.message}. ${policyHint(outbound)}`,
        field,
      });
    }
  }
}

const policyHint = (outbound: OutboundPolicy) =>
  `kubeproof dials ${outbound.describe()}. ` +
  `An operator can allow a target with ${ALLOWED_TARGETS_VARIABLE} (comma-separated CIDRs and host patterns, optional :port).`;

/**
 * The request's webhook, checked: a callbackUrl the outbound policy admits (400 `outbound_policy`
 * otherwise, nothing dialled), and a callbackSecret that names a configured secret. The secret's
 * value is never in the request; a caller who sends one gets a 400 that does not repeat it.
 */
export async function admitCallback(
  input: RawAuditInput,
  outbound: OutboundPolicy,
  rules: { secretNames: readonly string[]; http: HttpCallbacks },
): Promise<AuditRequest['callback']> {
  if (input.callbackUrl === undefined) {
    if (input.callbackSecret !== undefined)
      throw invalidField('body.callbackSecret', 'a callbackSecret needs a callbackUrl to sign deliveries to');
    return undefined;
  }
  if (input.callbackSecret !== undefined && !rules.secretNames.includes(input.callbackSecret)) {
    throw invalidField(
      'body.callbackSecret',
      'no callback secret of that name is configured on the server (KUBEPROOF_CALLBACK_SECRETS): send its name, never its value',
    );
  }
  let url: string;
  try {
    url = await admitCallbackUrl(input.callbackUrl, outbound, rules.http);
  } catch (err) {
    if (!(err instanceof CallbackRefusal)) throw err;
    if (!err.policy) throw invalidField('body.callbackUrl', err.message);
    throw new ApiError('outbound_policy', {
      detail: `body.callbackUrl: ${err.message}. ${policyHint(outbound)}`,
      field: 'body.callbackUrl',
    });
  }
  return { url, ...(input.callbackSecret !== undefined ? { secretName: input.callbackSecret } : {}) };
}

/**
 * Turns a request (JSON or raw kubeconfig) into what the runner needs, or throws the
 * matching problem: invalid kubeconfig (naming the field), unknown checks, bad options.
 */
export function toAuditRequest(input: RawAuditInput, catalog: Catalog, defaultNamespace?: string): AuditRequest {
  const selection = input.checks ?? [...DEFAULT_SELECTION];
  selectedChecks(catalog, selection);
  const parsed = parseOrThrow(AuditOptions, input.options ?? {}, 'body.options');
  // Options naming no namespace run in the server's default one (KUBEPROOF_AUDIT_NAMESPACE) when
  // set, else in one of their own; the stored run says which.
  const options = { ...parsed, namespace: parsed.namespace ?? defaultNamespace ?? { labels: {}, annotations: {} } };
  const labels = parseOrThrow(Labels, input.labels ?? {}, 'labels');
  try {
    const { kubeconfig, warnings } = sanitizeKubeconfig(input.kubeconfig, input.context);
    return { credentials: kubeconfig, selection, options, labels, warnings };
  } catch (err) {
    if (err instanceof KubeconfigError)
      throw new ApiError('invalid_kubeconfig', { detail: err.message, field: err.field });
    throw err;
  }
}

/** `key=value` query values (one or repeated) → labels; malformed pairs are a validation problem. */
export function labelsFromQuery(raw: string | string[] | undefined, part: string): Record<string, string> {
  const pairs = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || !LABEL_KEY.test(pair.slice(0, at))) {
      throw invalidField(part, 'expected key=value, the key 1-63 characters: letters, digits, ".", "_", "/", "-"');
    }
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}
