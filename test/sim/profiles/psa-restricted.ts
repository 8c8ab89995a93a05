/**
 * `psa-restricted`: today's default cluster whose API server runs the PodSecurity admission
 * plugin with AdmissionConfiguration defaults `enforce: restricted`, `audit: restricted`,
 * `warn: restricted` (kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller),
 * exempting kube-system: every new namespace without `pod-security.kubernetes.io/*` labels is
 * enforced `restricted:latest`. A pod failing it is refused 403 `pods "<name>" is forbidden:
 * violates PodSecurity "restricted:latest": ...`; a Deployment whose template fails it is
 * accepted with a `Warning: would violate PodSecurity ...` header and its ReplicaSet records
 * `FailedCreate` (admission/pod-security.ts).
 */
import { kthwShape } from './kthw.js';
import type { ClusterProfile } from './types.js';

export const psaRestricted: ClusterProfile = {
  name: 'psa-restricted',
  summary:
    'Pod Security enforced restricted by default in every namespace (AdmissionConfiguration defaults), real denials and warnings',
  shape: (workers) => kthwShape(workers),
  admission: {
    podSecurity: { enforce: 'restricted', audit: 'restricted', warn: 'restricted', exemptNamespaces: ['kube-system'] },
  },
};
