/** How preflight.api phrases and asks about one RBAC need (its key: src/rbac/permission.ts). */

import type { RbacNeed } from '../../kernel/catalog.js';
import type { AccessQuestion } from '../../kube/cluster-access.js';
import { resourceLabel } from '../../rbac/permission.js';

/** `cannot create deployments.apps in namespace kubeproof-x`, `cannot get path /metrics`. */
export function describeNeed(n: RbacNeed, runNamespace: string): string {
  if (n.nonResourceURL !== undefined) return `cannot ${n.verb} path ${n.nonResourceURL}`;
  const where = n.scope === 'cluster' ? 'at the cluster scope' : `in namespace ${scopeNamespace(n, runNamespace)}`;
  return `cannot ${n.verb} ${resourceLabel(n)} ${where}`;
}

/** describeNeed plus what the permission would have enabled: `… (optional: enables the etcd-exec strategy)`. */
export function describeOptionalNeed(n: RbacNeed, runNamespace: string): string {
  return `${describeNeed(n, runNamespace)} (optional${n.purpose ? `: ${n.purpose}` : ''})`;
}

/** The SelfSubjectAccessReview question for a need; scope `run` is asked about the run's namespace. */
export function accessQuestion(n: RbacNeed, runNamespace: string): AccessQuestion {
  if (n.nonResourceURL !== undefined) {
    return { verb: n.verb, group: '', resource: '', nonResourceURL: n.nonResourceURL };
  }
  const question: AccessQuestion = { verb: n.verb, group: n.group, resource: n.resource };
  if (n.subresource) question.subresource = n.subresource;
  if (n.scope !== 'cluster') question.namespace = scopeNamespace(n, runNamespace);
  return question;
}

/** The namespace a namespaced need is about: the run's own, or kube-system. */
function scopeNamespace(n: RbacNeed, runNamespace: string): string {
  return n.scope === 'run' ? runNamespace : 'kube-system';
}
