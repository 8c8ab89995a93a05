/**
 * The RBAC authorizer over the Roles, ClusterRoles and bindings in the store, as
 * kube-apiserver's evaluates them:
 * - plugin/pkg/auth/authorizer/rbac/rbac.go: RuleAllows (verb, API group, `resource/subresource`,
 *   resourceNames; nonResourceURLs for paths); allowed → reason `RBAC: allowed by <binding>`;
 *   not allowed → no opinion with an empty reason, or `RBAC: <errors>` when a binding's role
 *   could not be resolved.
 * - pkg/registry/rbac/validation/rule.go: ClusterRoleBindings first, then the RoleBindings of the
 *   request's namespace; subjects match by User name, Group membership or ServiceAccount
 *   (`system:serviceaccount:<ns>:<name>`, the binding's namespace when the subject names none);
 *   the binding describer texts.
 * - pkg/apis/rbac/v1/evaluation_helpers.go: `*` matches every verb/group/resource/URL,
 *   `*\/sub` every resource's subresource, a URL ending in `*` a prefix; resourceNames empty
 *   matches any name (and a request without a name only then).
 * Aggregated ClusterRoles are not computed (aggregationRule is stored, not expanded).
 */
import type { KubeObj, SimStore } from '../contracts.js';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What one request (or review) asks for: authorizer.AttributesRecord. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  group: string;
  resource: string;
  subresource: string;
  namespace?: string;
  name: string;
}

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

const has = (set: string[] | undefined, value: string) => (set ?? []).includes(value);
const hasOrAll = (set: string[] | undefined, value: string) => has(set, '*') || has(set, value);

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(a: Omit<Attributes, 'user'>, rule: PolicyRule): boolean {
  if (!hasOrAll(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) return urlMatches(rule, a.path);
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const names = rule.resourceNames ?? [];
  return (
    hasOrAll(rule.apiGroups, a.group) &&
    resourceMatches(rule, combined, a.subresource) &&
    (names.length === 0 || names.includes(a.name))
  );
}

function appliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return has(user.groups, subject.name ?? '');
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return ns !== '' && user.username === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

type Visitor = (source: string | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/** The rules each binding grants a user, in the order the real resolver visits them. */
export class RbacAuthorizer {
  constructor(private readonly store: SimStore) {}

  private roleRules(kind: string | undefined, name: string, namespace: string): PolicyRule[] | string {
    if (kind === 'Role') {
      const role = this.store.get('roles', namespace, name);
      return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io "${name}" not found`;
    }
    if (kind === 'ClusterRole') {
      const role = this.store.get('clusterroles', undefined, name);
      return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io "${name}" not found`;
    }
    return `unsupported role reference kind: "${kind}"`;
  }

  private visitBinding(user: UserInfo, binding: KubeObj, namespace: string, visit: Visitor): boolean {
    const subjects: Subject[] = binding.subjects ?? [];
    const subject = subjects.find((s) => appliesTo(user, s, namespace));
    if (!subject) return true;
    const ref = binding.roleRef ?? {};
    const rules = this.roleRules(ref.kind, ref.name ?? '', namespace);
    if (typeof rules === 'string') return visit(undefined, undefined, rules);
    const source = namespace
      ? `RoleBinding "${binding.metadata.name}/${namespace}" of ${ref.kind} "${ref.name}" to ${describeSubject(subject, namespace)}`
      : `ClusterRoleBinding "${binding.metadata.name}" of ${ref.kind} "${ref.name}" to ${describeSubject(subject, '')}`;
    for (const rule of rules) if (!visit(source, rule, undefined)) return false;
    return true;
  }

  visitRulesFor(user: UserInfo, namespace: string | undefined, visit: Visitor): void {
    for (const crb of this.store.list('clusterrolebindings')) {
      if (!this.visitBinding(user, crb, '', visit)) return;
    }
    if (!namespace) return;
    for (const rb of this.store.list('rolebindings', namespace)) {
      if (!this.visitBinding(user, rb, namespace, visit)) return;
    }
  }

  authorize(a: Attributes): Decision {
    let reason = '';
    const errors: string[] = [];
    let allowed = false;
    this.visitRulesFor(a.user, a.namespace, (source, rule, err) => {
      if (rule && ruleAllows(a, rule)) {
        allowed = true;
        reason = `RBAC: allowed by ${source}`;
        return false;
      }
      if (err) errors.push(err);
      return true;
    });
    if (allowed) return { allowed, reason };
    // utilerrors.NewAggregate prints one error as itself, several as `[a, b]`.
    if (errors.length === 1) reason = `RBAC: ${errors[0]}`;
    else if (errors.length > 1) reason = `RBAC: [${errors.join(', ')}]`;
    return { allowed: false, reason };
  }

  /** Every rule that applies to the user in the namespace, and whether some could not be resolved. */
  rulesFor(user: UserInfo, namespace: string | undefined): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(user, namespace, (_source, rule, err) => {
      if (rule) rules.push(rule);
      if (err) errors.push(err);
      return true;
    });
    return { rules, errors };
  }
}
