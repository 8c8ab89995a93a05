/**
 * Authorization as RBAC would answer it, with the `rbac-missing:<verb>:<resource>` fault
 * removing one permission: the 403 body and SelfSubjectAccessReview both reflect it. A
 * resource starting with `/` is a non-resource URL (`rbac-missing:get:/metrics`), matched as
 * RBAC matches `nonResourceURLs`: exactly, or by prefix when it ends in `*`.
 */
import type { SimFaultSet } from '../faults.js';
import { forbidden, StatusError } from '../store/errors.js';

export interface AuthzAttributes {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace?: string;
  name: string;
}

/** A request that names no resource: `/metrics`, `/version`, `/healthz`. */
export interface PathAttributes {
  user: string;
  verb: string;
  path: string;
}

export const isNonResourceURL = (faultResource: string): boolean => faultResource.startsWith('/');

function resourceMatches(faultResource: string, attrs: AuthzAttributes): boolean {
  if (isNonResourceURL(faultResource)) return false;
  const [resourcePart = '', sub = ''] = faultResource.split('/');
  if (sub !== attrs.subresource) return false;
  if (resourcePart === '*') return true;
  if (resourcePart === attrs.resource) return true;
  return attrs.group !== '' && resourcePart === `${attrs.resource}.${attrs.group}`;
}

function pathMatches(faultPath: string, path: string): boolean {
  if (!isNonResourceURL(faultPath)) return false;
  return faultPath.endsWith('*') ? path.startsWith(faultPath.slice(0, -1)) : faultPath === path;
}

/** The first `rbac-missing` instance whose verb matches and whose resource the predicate accepts. */
function deniedByFault(faults: SimFaultSet, verb: string, matches: (faultResource: string) => boolean) {
  for (const [faultVerb = '', resource = ''] of faults.instances('rbac-missing')) {
    if ((faultVerb === '*' || faultVerb === verb) && matches(resource)) return `rbac-missing:${faultVerb}:${resource}`;
  }
  return undefined;
}

/** The `rbac-missing` fault instance that denies this request, if any. */
export function deniedBy(faults: SimFaultSet, attrs: AuthzAttributes): string | undefined {
  return deniedByFault(faults, attrs.verb, (resource) => resourceMatches(resource, attrs));
}

/** The `rbac-missing` fault instance that denies this non-resource request, if any. */
export function pathDeniedBy(faults: SimFaultSet, attrs: PathAttributes): string | undefined {
  return deniedByFault(faults, attrs.verb, (resource) => pathMatches(resource, attrs.path));
}

/** The text after `is forbidden: ` in the real 403 (responsewriters.ForbiddenStatusError). */
export function forbiddenReason(attrs: AuthzAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${attrs.user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
}

/** responsewriters.forbiddenMessage for a non-resource request. */
export function forbiddenPathReason(attrs: PathAttributes): string {
  return `User "${attrs.user}" cannot ${attrs.verb} path "${attrs.path}"`;
}

export function authorize(faults: SimFaultSet, attrs: AuthzAttributes): void {
  if (!deniedBy(faults, attrs)) return;
  throw forbidden({ group: attrs.group, resource: attrs.resource }, attrs.name, forbiddenReason(attrs));
}

/**
 * Non-resource requests: NewForbidden with an empty GroupResource, so the message starts with
 * `forbidden: ` and every details field is empty (`"details":{}` on the wire).
 */
export function authorizePath(faults: SimFaultSet, attrs: PathAttributes): void {
  if (!pathDeniedBy(faults, attrs)) return;
  throw new StatusError(403, 'Forbidden', `forbidden: ${forbiddenPathReason(attrs)}`, {});
}

// biome-ignore lint/suspicious/noExplicitAny: the review body is client JSON
type Json = any;

/** Why a review is denied, as the `status.reason` of the SelfSubjectAccessReview (empty when allowed). */
function reviewDenial(faults: SimFaultSet, user: string, spec: Json): string {
  const ra = spec?.resourceAttributes;
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
    if (!deniedBy(faults, attrs)) return '';
    return `RBAC: no rule grants ${forbiddenReason(attrs).replace(/^User "[^"]*" cannot /, '')}`;
  }
  const nra = spec?.nonResourceAttributes;
  if (nra) {
    const attrs: PathAttributes = { user, verb: nra.verb ?? '', path: nra.path ?? '' };
    if (!pathDeniedBy(faults, attrs)) return '';
    return `RBAC: no rule grants ${forbiddenPathReason(attrs).replace(/^User "[^"]*" cannot /, '')}`;
  }
  return '';
}

/** Answers a SelfSubjectAccessReview (resourceAttributes or nonResourceAttributes) for the authenticated user. */
export function reviewAccess(faults: SimFaultSet, user: string, review: Json): Json {
  const reason = reviewDenial(faults, user, review?.spec);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review?.metadata ?? {}) },
    spec: review?.spec ?? {},
    status: { allowed: reason === '', reason },
  };
}
