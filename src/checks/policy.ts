/**
 * The `error` verdict with cause `policy`: an admission policy denied what kubeproof creates.
 * Neither "kubeproof lacks a permission" (no RBAC grant helps) nor "the cluster failed" (the
 * policy does what it was configured to do): the report names the policy, quotes it, and says
 * what to exempt or which option to set.
 */
import type { AdmissionDenial, AdmissionKind } from '../kube/cluster-access.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../workload/names.js';
import type { CheckOutcome } from './types.js';

const SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;

const HINTS: Record<AdmissionKind, string> = {
  'pod-security':
    "kubeproof's pods are built to meet Pod Security `restricted`; this one was still refused (custom images, or a stricter level). " +
    'Exempt kubeproof-* namespaces in the PodSecurity AdmissionConfiguration (`exemptions.namespaces`), or set ' +
    '`options.namespace.labels` to `pod-security.kubernetes.io/enforce: baseline` where namespace labels are honoured.',
  webhook:
    `Exempt kubeproof's run namespaces (labelled ${SELECTOR}) from this webhook (its namespaceSelector, or the policy's exclude ` +
    'rules in Kyverno/Gatekeeper), or give kubeproof what the policy asks for with `options.namespace.labels`/`annotations`, ' +
    '`options.pods.labels`/`annotations`, `options.pods.tolerations`, `options.pods.nodeSelector` or `options.pods.priorityClassName`.',
  'validating-admission-policy':
    `Exclude kubeproof's run namespaces (labelled ${SELECTOR}) in the ValidatingAdmissionPolicyBinding's ` +
    '`matchResources.namespaceSelector`, or give kubeproof what the policy asks for with `options.namespace.*` and `options.pods.*`.',
  'resource-quota':
    "A ResourceQuota in kubeproof's run namespace is too small for the workload (web replicas + a client pod + a probe pod, each " +
    'requesting 10m CPU and 16Mi memory, limited to 100m/64Mi): raise the quota your policy puts into new namespaces, or lower `options.replicas`.',
  'limit-range':
    "A LimitRange in kubeproof's run namespace refuses the workload's requests/limits (10m CPU and 16Mi memory requested, 100m/64Mi limits): " +
    'relax the LimitRange your policy puts into new namespaces for namespaces labelled ' +
    `${SELECTOR}.`,
};

/** What to exempt or which option to set for a denial of this kind. */
export const policyHint = (denial: AdmissionDenial): string => HINTS[denial.kind];

/**
 * The check's outcome when admission denied something it needed.
 * @param what what was denied, e.g. `the web Deployment's pods` or `pods/client`
 */
export function policyOutcome(
  denial: AdmissionDenial,
  what: string,
  evidence: Record<string, unknown> = {},
): CheckOutcome {
  return {
    status: 'error',
    cause: 'policy',
    summary: `blocked by policy: ${denial.policy} denied ${what}: "${denial.message}"`,
    evidence: { ...evidence, admission: denial },
    hint: policyHint(denial),
  };
}
