/**
 * Authorization as RBAC would answer it, with the `rbac-missing:<verb>:<resource>` fault
 * removing one permission: the 403 body and SelfSubjectAccessReview both reflect it.
 */
import type { SimFaultSet } from '../faults.js';
import { forbidden } from '../store/errors.js';

export interface AuthzAttributes {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace?: string;
  name: string;
}

function resourceMatches(faultResource: string, attrs: AuthzAttributes): boolean {
  const [resourcePart = '', sub = ''] = faultResource.split('/');
  if (sub !== attrs.subresource) return false;
  if (resourcePart === '*') return true;
  if (resourcePart === attrs.resource) return true;
  return attrs.group !== '' && resourcePart === `${attrs.resource}.${attrs.group}`;
}

/** The `rbac-missing` fault instance that denies this request, if any. */
export function deniedBy(faults: SimFaultSet, attrs: AuthzAttributes): string | undefined {
  for (const [verb = '', resource = ''] of faults.instances('rbac-missing')) {
    if ((verb === '*' || verb === attrs.verb) && resourceMatches(resource, attrs))
      return `rbac-missing:${verb}:${resource}`;
  }
  return undefined;
}

/** The text after `is forbidden: ` in the real 403 (responsewriters.ForbiddenStatusError). */
export function forbiddenReason(attrs: AuthzAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${attrs.user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
}

export function authorize(faults: SimFaultSet, attrs: AuthzAttributes): void {
  if (!deniedBy(faults, attrs)) return;
  throw forbidden({ group: attrs.group, resource: attrs.resource }, attrs.name, forbiddenReason(attrs));
}

// biome-ignore lint/suspicious/noExplicitAny: the review body is client JSON
type Json = any;

/** Answers a SelfSubjectAccessReview for the authenticated user. */
export function reviewAccess(faults: SimFaultSet, user: string, review: Json): Json {
  const ra = review?.spec?.resourceAttributes;
  let allowed = true;
  let reason = '';
  if (ra) {
    const attrs: AuthzAttributes = {
      user,
      verb: ra.verb ?? '',
      group: ra.group ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      namespace: ra.namespace || undefined,
      name: ra.name ?? '',
    };
    const fault = deniedBy(faults, attrs);
    if (fault) {
      allowed = false;
      reason = `RBAC: no rule grants ${forbiddenReason(attrs).replace(/^User "[^"]*" cannot /, '')}`;
    }
  }
  const status: Json = { allowed };
  if (!allowed) status.reason = reason;
  else status.reason = '';
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review?.metadata ?? {}) },
    spec: review?.spec ?? {},
    status,
  };
}
