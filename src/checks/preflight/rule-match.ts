/**
 * Whether a rule a SelfSubjectRulesReview lists grants one permission, matched as the RBAC
 * authorizer matches it (kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go:
 * VerbMatches, APIGroupMatches, ResourceMatches — `*`, `resource/subresource`, `*\/subresource` —
 * ResourceNameMatches, NonResourceURLMatches — exact, or a prefix when the rule ends in `*`).
 * A rule limited to resourceNames never grants a permission asked without a name.
 */
import type { RbacNeed } from '../../kernel/catalog.js';
import type { NonResourceRule, ResourceRule } from '../../kube/cluster-access.js';

const hasOrAll = (set: readonly string[] | undefined, value: string) =>
  (set ?? []).includes('*') || (set ?? []).includes(value);

function resourceMatches(rule: ResourceRule, n: RbacNeed): boolean {
  const combined = n.subresource ? `${n.resource}/${n.subresource}` : n.resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (n.subresource !== undefined && r === `*/${n.subresource}`),
  );
}

/** A resource rule granting the need (the need asks about no particular object name). */
export function resourceRuleAllows(rule: ResourceRule, n: RbacNeed): boolean {
  return (
    hasOrAll(rule.verbs, n.verb) &&
    hasOrAll(rule.apiGroups, n.group) &&
    resourceMatches(rule, n) &&
    (rule.resourceNames ?? []).length === 0
  );
}

/** A non-resource rule granting the need's verb on its URL: `*`, the path itself, or a `prefix*`. */
export function nonResourceRuleAllows(rule: NonResourceRule, n: RbacNeed): boolean {
  const path = n.nonResourceURL;
  if (path === undefined || !hasOrAll(rule.verbs, n.verb)) return false;
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}
