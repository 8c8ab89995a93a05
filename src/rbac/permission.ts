/**
 * One permission a check declares (an RbacNeed), as both of its readers see it: the permission
 * review (preflight.api asks about each distinct permission once) and the RBAC manifests
 * (`GET /v1/rbac` grants it). One key, one binding rule, one list per selection.
 */
import type { RbacNeed } from '../kernel/catalog.js';
import { RBAC_SCOPES, type RbacScope } from '../kernel/vocabulary.js';

/** `deployments.apps`, `pods/exec`, `leases.coordination.k8s.io`; `/metrics` for a non-resource URL. */
export function resourceLabel(n: Pick<RbacNeed, 'group' | 'resource' | 'subresource' | 'nonResourceURL'>): string {
  if (n.nonResourceURL !== undefined) return n.nonResourceURL;
  return `${n.resource}${n.group ? `.${n.group}` : ''}${n.subresource ? `/${n.subresource}` : ''}`;
}

/**
 * The permission itself: verb, what and where (`create pods/exec run`, `get path /metrics`). The
 * same permission has the same key whether a check calls it optional or not: it is reviewed once
 * and granted once.
 */
export function permissionKey(n: RbacNeed): string {
  if (n.nonResourceURL !== undefined) return `${n.verb} path ${n.nonResourceURL}`;
  return `${n.verb} ${resourceLabel(n)} ${n.scope}`;
}

/** Where a need is granted: cluster-wide (ClusterRole), kube-system, or a named namespace (Role). */
export type Binding = 'cluster' | 'kube-system' | { namespace: string };

/**
 * Which binding grants a need. Each audit's own namespace (the default mode) has a fresh name,
 * and RBAC cannot match namespaces by name prefix, so run-scoped needs are granted cluster-wide;
 * with an operator's namespace (`namespace`, the least-privilege mode) they are granted by a Role
 * there. Non-resource URLs and cluster scopes are always cluster-wide; kube-system reads by a
 * Role there.
 */
export function bindingOf(n: Pick<RbacNeed, 'nonResourceURL' | 'scope'>, namespace?: string): Binding {
  if (n.nonResourceURL !== undefined || n.scope === 'cluster') return 'cluster';
  if (n.scope === 'kube-system') return 'kube-system';
  return namespace ? { namespace } : 'cluster';
}

/** The scopes whose grant also grants a need of this scope (a cluster-wide grant covers kube-system). */
function coveringScopes(n: RbacNeed, namespace?: string): readonly RbacScope[] {
  return RBAC_SCOPES.filter((s) => bindingOf({ scope: s }, namespace) === 'cluster' || s === n.scope);
}

/** Every permission the checks declare, in check order: what a selection needs. */
export const permissionsOf = <N extends RbacNeed>(checks: readonly { rbac: readonly N[] }[]): N[] =>
  checks.flatMap((c) => c.rbac);

/** Each distinct permission once (by permissionKey), optional ones included: what is reviewed. */
export function distinctPermissions(needs: readonly RbacNeed[]): Map<string, RbacNeed> {
  const unique = new Map<string, RbacNeed>();
  for (const n of needs) unique.set(permissionKey(n), n);
  return unique;
}

/**
 * The optional needs a required one does not already grant (a cluster-wide grant covers
 * kube-system too), so each permission appears once in the manifests, required when any check
 * requires it. `namespace`: the least-privilege mode, where run-scoped grants live in that namespace.
 */
export function optionalOnly<N extends RbacNeed>(needs: readonly N[], namespace?: string): N[] {
  const granted = new Set(needs.filter((n) => !n.optional).map(permissionKey));
  return needs.filter(
    (n) => n.optional && !coveringScopes(n, namespace).some((scope) => granted.has(permissionKey({ ...n, scope }))),
  );
}
