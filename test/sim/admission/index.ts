/**
 * Validating admission policy of the simulated cluster, in the forms real clusters send, run
 * for every create in the store (the API server's requests and the controllers' alike, as the
 * real controllers create through the API): Pod Security (pod-security.ts), a validating
 * webhook, a ValidatingAdmissionPolicy, ResourceQuota and LimitRange. Each applies to
 * namespaces outside `exemptNamespaces` (kube-system, kube-public, kube-node-lease by default),
 * as such policies are normally scoped. A denial throws the StatusError the API server answers
 * with; warnings are returned for the `Warning` response header.
 */
import type { KubeObj, SimStore } from '../contracts.js';
import { type GroupResource, StatusError } from '../store/errors.js';
import { storedResource } from '../store/resources.js';
import type { GeneratedObject } from './generate.js';
import {
  namespacePolicy,
  type PodSecurityDefaults,
  podSecurityViolations,
  podSpecOf,
  upstreamDefaults,
} from './pod-security.js';
import { limitRangeViolations, quotaViolation, serviceQuotaViolation } from './quota.js';

export interface WebhookDenial {
  /** The webhook's name in its ValidatingWebhookConfiguration (e.g. `validate.kyverno.svc-fail`). */
  name: string;
  /** The `status.message` the webhook answered with. */
  message: string;
  /** The `status.code` it set; 0 or unset → 403 (apiserver webhook/errors ToStatusErr). */
  code?: number;
}

export interface PolicyDenial {
  /** ValidatingAdmissionPolicy and binding names. */
  policy: string;
  binding?: string;
  /** The validation's message (default `failed expression: <expression>`). */
  message?: string;
  expression?: string;
}

export interface AdmissionOptions {
  /** Pod Security AdmissionConfiguration defaults (e.g. `{ enforce: 'restricted', warn: 'restricted' }`). */
  podSecurity?: Partial<PodSecurityDefaults>;
  /** A validating webhook that denies every pod create. */
  webhook?: WebhookDenial;
  /** A ValidatingAdmissionPolicy (with binding) that denies every pod create. */
  validatingAdmissionPolicy?: PolicyDenial;
  /** Namespaces no policy here applies to. */
  exemptNamespaces?: string[];
  /**
   * Objects a policy engine's generate rules put into every new namespace (ResourceQuotas,
   * LimitRanges, NetworkPolicies; generate.ts), which the plugins here then enforce.
   */
  generate?: GeneratedObject[];
}

export type Admit = (store: SimStore, resource: string, obj: KubeObj) => string[];

const defaultExempt = ['kube-system', 'kube-public', 'kube-node-lease'];

/** `pods "web-abc12"` subject and details the way admission.NewForbidden builds them. */
function forbiddenBy(gr: GroupResource, name: string, why: string, code = 403, reason = 'Forbidden'): StatusError {
  const qualified = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
  const details = { name, kind: gr.resource, ...(gr.group ? { group: gr.group } : {}) };
  if (code === 500) return new StatusError(500, 'InternalError', `Internal error occurred: ${why}`);
  return new StatusError(code, reason, `${qualified} "${name}" is forbidden: ${why}`, details);
}

export function createAdmission(options: AdmissionOptions): Admit {
  const exempt = options.exemptNamespaces ?? defaultExempt;
  const psa: PodSecurityDefaults = {
    ...upstreamDefaults,
    ...options.podSecurity,
    exemptNamespaces: options.podSecurity?.exemptNamespaces ?? exempt,
  };
  return (store, resource, obj) => {
    const namespace = obj.metadata.namespace;
    if (!namespace) return [];
    const def = storedResource(resource);
    const gr = { group: def?.group ?? '', resource };
    const name = obj.metadata.name || 'Unknown';
    const warnings: string[] = [];

    const spec = podSpecOf(resource, obj);
    if (spec) {
      const policy = namespacePolicy(store.get('namespaces', undefined, namespace), psa);
      const levelText = (p: { level: string; version: string }) => `${p.level}:${p.version}`;
      if (resource === 'pods' && policy.enforce.level !== 'privileged') {
        const detail = podSecurityViolations(policy.enforce.level, spec);
        if (detail)
          throw forbiddenBy(gr, name, `violates PodSecurity ${JSON.stringify(levelText(policy.enforce))}: ${detail}`);
      }
      if (policy.warn.level !== 'privileged') {
        const detail = podSecurityViolations(policy.warn.level, spec);
        if (detail) warnings.push(`would violate PodSecurity ${JSON.stringify(levelText(policy.warn))}: ${detail}`);
      }
    }
    if (exempt.includes(namespace)) return warnings;
    if (resource === 'services') {
      const quota = serviceQuotaViolation(
        store.list('resourcequotas', namespace),
        store.list('services', namespace),
        obj,
      );
      if (quota) throw forbiddenBy(gr, name, quota);
      return warnings;
    }
    if (resource !== 'pods') return warnings;

    const hook = options.webhook;
    if (hook) {
      const code = hook.code && hook.code > 0 ? hook.code : 403;
      // ToStatusErr keeps the webhook's code; the reason stays Forbidden unless the webhook set one.
      throw forbiddenBy(
        gr,
        name,
        `admission webhook ${JSON.stringify(hook.name)} denied the request: ${hook.message}`,
        code,
      );
    }
    const vap = options.validatingAdmissionPolicy;
    if (vap) {
      const message =
        vap.message ?? `failed expression: ${vap.expression ?? 'object.metadata.labels.exists(l, l == "team")'}`;
      const by = vap.binding
        ? `ValidatingAdmissionPolicy '${vap.policy}' with binding '${vap.binding}' denied request: ${message}`
        : `ValidatingAdmissionPolicy '${vap.policy}' denied request: ${message}`;
      // The validation's reason defaults to Invalid (422) — plugin/policy/validating/dispatcher.go.
      throw forbiddenBy(gr, name, by, 422, 'Invalid');
    }
    const limits = limitRangeViolations(store.list('limitranges', namespace), obj);
    if (limits) throw forbiddenBy(gr, name, limits);
    const quota = quotaViolation(store.list('resourcequotas', namespace), store.list('pods', namespace), obj);
    if (quota) throw forbiddenBy(gr, name, quota);
    return warnings;
  };
}
