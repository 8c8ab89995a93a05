/**
 * Admission denials, recognised by what the API server said (the Status message), never by
 * the status code alone: Pod Security and quota answer 403 like RBAC does, a
 * ValidatingAdmissionPolicy answers 422 like a schema error, a webhook answers whatever code it
 * chose. The message forms are upstream's:
 * - Pod Security: `violates PodSecurity %q: %s` wrapped by admission.NewForbidden (403 Forbidden),
 *   kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/admission/admission.go
 * - validating webhook: `admission webhook %q denied the request: %s` (or `... without
 *   explanation`), with the webhook's own code (0 becomes 403), and `failed calling webhook %q`
 *   when a fail-closed webhook cannot be reached,
 *   staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/errors/statuserror.go,
 *   staging/src/k8s.io/apiserver/pkg/util/webhook/error.go
 * - ValidatingAdmissionPolicy: `ValidatingAdmissionPolicy '%s' with binding '%s' denied request: %s`
 *   (reason default Invalid → 422),
 *   staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating/dispatcher.go
 * - ResourceQuota: `exceeded quota: %s, requested: %s, used: %s, limited: %s` and
 *   `failed quota: %s: %v` (e.g. `must specify limits.cpu`), 403 Forbidden,
 *   staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go
 * - LimitRange: `minimum|maximum %s usage per %s is %s, but request|limit is %s`, `... No
 *   request|limit is specified`, `%s max limit to request ratio per %s is %s, but provided ratio
 *   is %f`, 403 Forbidden, plugin/pkg/admission/limitranger/admission.go
 */

import { stripControlChars } from '../../untrusted-text.js';

export const ADMISSION_KINDS = [
  'pod-security',
  'webhook',
  'validating-admission-policy',
  'resource-quota',
  'limit-range',
] as const;
export type AdmissionKind = (typeof ADMISSION_KINDS)[number];

/** An admission denial as kubeproof reports it: which policy, and what it said. */
export interface AdmissionDenial {
  kind: AdmissionKind;
  /** The policy by name: `PodSecurity "restricted:latest"`, `admission webhook "validate.kyverno.svc-fail"`... */
  policy: string;
  /** The API server's message, bounded and without control characters (safe to quote). */
  message: string;
}

/** How much of a denial message a report quotes. */
export const QUOTE_LIMIT = 500;

/** The message as kubeproof quotes it: control characters become spaces, at most QUOTE_LIMIT characters. */
export function quotable(message: string): string {
  const clean = stripControlChars(message).replace(/ {2,}/g, ' ').trim();
  return clean.length > QUOTE_LIMIT ? `${clean.slice(0, QUOTE_LIMIT - 1)}…` : clean;
}

type Rule = { kind: AdmissionKind; pattern: RegExp; policy: (m: RegExpExecArray) => string };

const RULES: readonly Rule[] = [
  { kind: 'pod-security', pattern: /violates PodSecurity "([^"]+)"/, policy: (m) => `PodSecurity "${m[1]}"` },
  {
    kind: 'webhook',
    pattern: /admission webhook "([^"]+)" denied the request/,
    policy: (m) => `admission webhook "${m[1]}"`,
  },
  {
    kind: 'webhook',
    pattern: /failed calling webhook "([^"]+)"/,
    policy: (m) => `admission webhook "${m[1]}" (unreachable, failing closed)`,
  },
  {
    kind: 'validating-admission-policy',
    pattern: /ValidatingAdmissionPolicy '([^']+)'(?: with binding '([^']+)')? denied request/,
    policy: (m) => `ValidatingAdmissionPolicy "${m[1]}"${m[2] ? ` (binding "${m[2]}")` : ''}`,
  },
  {
    kind: 'resource-quota',
    pattern: /(?:exceeded quota|failed quota): ([^,:]+)/i,
    policy: (m) => `ResourceQuota "${m[1]?.trim()}"`,
  },
  {
    kind: 'limit-range',
    pattern:
      /(?:(?:minimum|maximum) \S+ usage per \S+ is \S+(?:, but (?:request|limit) is|\.\s+No (?:request|limit) is specified))|max limit to request ratio per \S+ is/,
    policy: () => 'LimitRange',
  },
];

/**
 * The admission denial a Status message reports, or undefined when it is something else (RBAC,
 * a schema error, a conflict). Only messages from the API server are read.
 * @example admissionDenial('pods "client" is forbidden: violates PodSecurity "restricted:latest": ...')
 *   // { kind: 'pod-security', policy: 'PodSecurity "restricted:latest"', message: '...' }
 */
export function admissionDenial(message: string): AdmissionDenial | undefined {
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match) return { kind: rule.kind, policy: quotable(rule.policy(match)), message: quotable(message) };
  }
  return undefined;
}
