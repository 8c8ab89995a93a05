/**
 * The review and token endpoints, answered from the authorizer and the token issuer:
 * - SelfSubjectAccessReview (pkg/registry/authorization/selfsubjectaccessreview/rest.go): the
 *   decision for the caller; `reason` omitted when empty (RBAC gives none for a plain denial).
 * - SelfSubjectRulesReview (pkg/registry/authorization/selfsubjectrulesreview/rest.go): the RBAC
 *   rules that apply in spec.namespace (required: "no namespace on request"), split into
 *   resource and non-resource rules as rbac.go's RulesFor does; unresolvable bindings →
 *   `incomplete` with `evaluationError`.
 * - SelfSubjectReview (authentication.k8s.io/v1, `kubectl auth whoami`): the caller's user info.
 * - TokenRequest (pkg/registry/core/serviceaccount/storage/token.go, validation in
 *   pkg/apis/authentication/validation): expirationSeconds defaults to 3600 and must lie in
 *   [600, 2^32]; audiences default to the API server's (the issuer URL on kubeadm).
 */
import type { KubeObj } from '../contracts.js';
import { badRequest, invalid, notFound } from '../store/errors.js';
import { type Authorizer, attributesOf } from './authz.js';
import type { PolicyRule, UserInfo } from './rbac.js';
import type { RequestInfo } from './request-info.js';
import { defaultAudience, type TokenIssuer } from './tokens.js';

// biome-ignore lint/suspicious/noExplicitAny: review bodies are client JSON
type Json = any;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function selfSubjectAccessReview(authz: Authorizer, user: UserInfo, review: Json): Json {
  const spec = review?.spec ?? {};
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (!ra && !nra)
    throw invalid({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', [
      {
        type: 'FieldValueRequired',
        field: 'spec.resourceAttributes',
        detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  const info: RequestInfo = {
    path: str(nra?.path),
    query: new URLSearchParams(),
    isResourceRequest: Boolean(ra),
    verb: str(ra ? ra.verb : nra.verb),
    group: str(ra?.group),
    version: str(ra?.version),
    namespace: str(ra?.namespace) || undefined,
    resource: str(ra?.resource),
    subresource: str(ra?.subresource),
    name: str(ra?.name),
    parts: [],
  };
  const decision = authz.decide(attributesOf(info, user));
  const status: Json = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review?.metadata ?? {}) },
    spec,
    status,
  };
}

function resourceRule(r: PolicyRule): Json {
  const out: Json = { verbs: r.verbs ?? [] };
  if (r.apiGroups?.length) out.apiGroups = r.apiGroups;
  if (r.resources?.length) out.resources = r.resources;
  if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
  return out;
}

export function selfSubjectRulesReview(authz: Authorizer, user: UserInfo, review: Json): Json {
  const namespace = str(review?.spec?.namespace);
  if (!namespace) throw badRequest('no namespace on request');
  const { rules, errors } = authz.rbacRules(user, namespace);
  const status: Json = {
    resourceRules: rules.filter((r) => (r.resources ?? []).length > 0).map(resourceRule),
    nonResourceRules: rules
      .filter((r) => (r.nonResourceURLs ?? []).length > 0)
      .map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs })),
    incomplete: errors.length > 0,
  };
  if (errors.length > 0) status.evaluationError = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review?.metadata ?? {}) },
    spec: { namespace },
    status,
  };
}

export function selfSubjectReview(user: UserInfo, review: Json): Json {
  const userInfo: Json = { username: user.username };
  if (user.uid) userInfo.uid = user.uid;
  userInfo.groups = user.groups;
  if (user.extra) userInfo.extra = user.extra;
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null, ...(review?.metadata ?? {}) },
    status: { userInfo },
  };
}

export function tokenRequest(tokens: TokenIssuer, sa: KubeObj | undefined, name: string, body: Json): Json {
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const spec = body?.spec ?? {};
  const expirationSeconds: number = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
  const kind = { group: 'authentication.k8s.io', kind: 'TokenRequest' };
  const field = 'spec.expirationSeconds';
  if (expirationSeconds < 600)
    throw invalid(kind, name, [
      {
        type: 'FieldValueInvalid',
        field,
        value: expirationSeconds,
        detail: 'may not specify a duration less than 10 minutes',
      },
    ]);
  if (expirationSeconds > 2 ** 32)
    throw invalid(kind, name, [
      {
        type: 'FieldValueInvalid',
        field,
        value: expirationSeconds,
        detail: 'may not specify a duration larger than 2^32 seconds',
      },
    ]);
  const audiences: string[] =
    Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : [defaultAudience];
  const issued = tokens.issue(sa, expirationSeconds, audiences);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: issued,
  };
}
