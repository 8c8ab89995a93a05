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

/**
 * Which binding grants a need: non-resource URLs and the run and cluster scopes are granted
 * cluster-wide (each audit creates its own namespace, and RBAC cannot match namespaces by name
 * prefix); kube-system reads by a Role there.
 */
export const bindingOf = (n: Pick<RbacNeed, 'nonResourceURL' | 'scope'>): 'cluster' | 'kube-system' =>
  n.nonResourceURL === undefined && n.scope === 'kube-system' ? 'kube-system' : 'cluster';

/** The scopes whose grant also grants a need of this scope (a cluster-wide grant covers kube-system). */
function coveringScopes(n: RbacNeed): readonly RbacScope[] {
  return RBAC_SCOPES.filter((s) => bindingOf({ scope: s }) === 'cluster' || s === n.scope);
}

/** Every permission the checks declare, in check order: what a selection needs. */
export const permissionsOf = (checks: readonly { rbac: readonly RbacNeed[] }[]): RbacNeed[] =>
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
 * requires it.
 */
export function optionalOnly(needs: readonly RbacNeed[]): RbacNeed[] {
  const granted = new Set(needs.filter((n) => !n.optional).map(permissionKey));
  return needs.filter(
    (n) => n.optional && !coveringScopes(n).some((scope) => granted.has(permissionKey({ ...n, scope }))),
  );
}
