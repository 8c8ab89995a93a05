/**
 * The Status bodies kube-apiserver sends when admission denies a create, one per form, as
 * upstream builds them (see src/kube/cluster/admission.ts for the source files): the message,
 * the reason and the code are the real ones, so classification is tested through the same
 * parsing path as a live cluster.
 */
import type { AdmissionKind } from '../../src/kube/cluster/admission.js';
import { failureStatus, type StatusDetails } from '../sim/runtime/status.js';

export interface DeniedAnswer {
  httpStatus: number;
  body: string;
}

const status = (code: number, reason: string, message: string, details: StatusDetails): DeniedAnswer => ({
  httpStatus: code,
  body: JSON.stringify(failureStatus(code, reason, message, details)),
});

/** `pods "<name>" is forbidden: ...` as admission.NewForbidden words it. */
const forbiddenPod = (name: string, detail: string) =>
  status(403, 'Forbidden', `pods "${name}" is forbidden: ${detail}`, { name, kind: 'pods' });

export const DENIALS: Record<AdmissionKind, (name: string) => DeniedAnswer> = {
  'pod-security': (name) =>
    forbiddenPod(
      name,
      'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "client" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container "client" must set securityContext.runAsNonRoot=true)',
    ),
  // A Kyverno/Gatekeeper-style webhook answering 400 with its own message (ToStatusErr keeps the code).
  webhook: (name) =>
    status(
      400,
      'BadRequest',
      `admission webhook "validate.kyverno.svc-fail" denied the request: \n\nresource Pod/kubeproof/${name} was blocked due to the following policies\n\nrequire-team-label:\n  check-team: 'validation error: label team is required'`,
      {},
    ),
  'validating-admission-policy': (name) =>
    status(
      422,
      'Invalid',
      `pods "${name}" is forbidden: ValidatingAdmissionPolicy 'require-cost-center' with binding 'require-cost-center-binding' denied request: every pod needs a cost-center annotation`,
      { name, kind: 'pods', causes: [{ message: 'every pod needs a cost-center annotation' }] },
    ),
  'resource-quota': (name) =>
    forbiddenPod(
      name,
      'exceeded quota: compute-small, requested: limits.memory=64Mi, used: limits.memory=0, limited: limits.memory=32Mi',
    ),
  'limit-range': (name) => forbiddenPod(name, 'minimum memory usage per Container is 32Mi, but request is 16Mi'),
};

/** RBAC refusing kubeproof: the same 403 Forbidden, a different message. */
export const RBAC_DENIAL: DeniedAnswer = status(
  403,
  'Forbidden',
  'pods is forbidden: User "kubeproof" cannot create resource "pods" in API group "" in the namespace "kubeproof-x"',
  { kind: 'pods' },
);
