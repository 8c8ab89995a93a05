/** How preflight.api phrases, deduplicates and asks about one RBAC need. */

import type { RbacNeed } from '../../kernel/catalog.js';
import type { AccessQuestion } from '../../kube/cluster-access.js';

/** `deployments.apps`, `pods/exec`, `leases.coordination.k8s.io`; `/metrics` for a non-resource URL. */
export function resourceLabel(n: Pick<RbacNeed, 'group' | 'resource' | 'subresource' | 'nonResourceURL'>): string {
  if (n.nonResourceURL !== undefined) return n.nonResourceURL;
  return `${n.resource}${n.group ? `.${n.group}` : ''}${n.subresource ? `/${n.subresource}` : ''}`;
}

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

/** Same permission, same key, whether a check calls it optional or not: it is reviewed once. */
export function needKey(n: RbacNeed): string {
  if (n.nonResourceURL !== undefined) return `${n.verb} path ${n.nonResourceURL}`;
  return `${n.verb} ${n.group}/${n.resource}/${n.subresource ?? ''} ${n.scope}`;
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
