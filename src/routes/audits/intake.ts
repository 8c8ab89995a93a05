import { AuditOptions } from '../../checks/options.js';
import type { AuditRequest } from '../../engine/runner.js';
import { DEFAULT_SELECTION, resolveSelection } from '../../engine/selection.js';
import type { Catalog } from '../../engine/types.js';
import { ApiError } from '../../http/errors.js';
import { fieldErrors } from '../../http/validation.js';
import { KubeconfigError, sanitizeKubeconfig } from '../../kube/kubeconfig/index.js';
import { LABEL_KEY, Labels } from './schema.js';

export interface RawAuditInput {
  kubeconfig: string;
  context?: string;
  checks?: string[];
  options?: unknown;
  labels?: unknown;
}

/**
 * Turns a request (JSON or raw kubeconfig) into what the runner needs, or throws the
 * matching problem: invalid kubeconfig (naming the field), unknown checks, bad options.
 */
export function toAuditRequest(input: RawAuditInput, catalog: Catalog): AuditRequest {
  const selection = input.checks ?? [...DEFAULT_SELECTION];
  const { unknown } = resolveSelection(catalog.list(), selection);
  if (unknown.length > 0) {
    throw new ApiError('unknown_checks', {
      detail: `Unknown check ids or groups: ${unknown.join(', ')}. GET /v1/checks lists the valid ones.`,
      unknown,
    });
  }
  const options = AuditOptions.safeParse(input.options ?? {});
  if (!options.success) {
    const errors = fieldErrors('body.options', options.error);
    throw new ApiError('validation_failed', {
      detail: `Invalid options: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    });
  }
  const labels = Labels.safeParse(input.labels ?? {});
  if (!labels.success) {
    const errors = fieldErrors('labels', labels.error);
    throw new ApiError('validation_failed', {
      detail: `Invalid labels: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    });
  }
  try {
    const { kubeconfig, warnings } = sanitizeKubeconfig(input.kubeconfig, input.context);
    return { credentials: kubeconfig, selection, options: options.data, labels: labels.data, warnings };
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
      const message = 'expected key=value, the key 1-63 characters: letters, digits, ".", "_", "/", "-"';
      throw new ApiError('validation_failed', { detail: `${part}: ${message}`, errors: [{ path: part, message }] });
    }
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}
