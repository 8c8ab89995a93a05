/**
 * The API server's authorizer chain, in kube-apiserver's order for `--authorization-mode=Node,RBAC`
 * (pkg/kubeapiserver/authorizer/config.go): members of system:masters are allowed before any
 * mode is asked (the privileged-groups authorizer), everyone else is judged by RBAC over the
 * stored roles and bindings (rbac.ts). The `rbac-missing:<verb>:<resource>` fault removes one
 * permission from every user, the admin's too, ahead of both: its 403 and reviews look like a
 * plain RBAC denial (empty reason). While one names a verb, resource requests with that verb are
 * judged by the identity's rules written out without the faulted permission (as the rules review
 * lists them, rules-without-faults.ts), so both reviews agree. A fault resource starting with
 * `/` is a non-resource URL (`rbac-missing:get:/metrics`), matched as RBAC matches
 * `nonResourceURLs`: exactly, or by prefix when it ends in `*`.
 */
import type { SimFaultSet } from '../faults.js';
import { forbidden, StatusError } from '../store/errors.js';
import { type Attributes, type Decision, type RbacAuthorizer, ruleAllows, type UserInfo } from './rbac.js';
import type { RequestInfo } from './request-info.js';
import { isNonResourceURL, withoutFaulted } from './rules-without-faults.js';

export { isNonResourceURL };

function faultResourceMatches(faultResource: string, a: Attributes): boolean {
  const [resourcePart = '', sub = ''] = faultResource.split('/');
  if (sub !== a.subresource) return false;
  if (resourcePart === '*' || resourcePart === a.resource) return true;
  return a.group !== '' && resourcePart === `${a.resource}.${a.group}`;
}

function faultPathMatches(faultPath: string, path: string): boolean {
  return faultPath.endsWith('*') ? path.startsWith(faultPath.slice(0, -1)) : faultPath === path;
}

/** Whether an `rbac-missing` instance takes this permission away (`*` verb: every verb). */
function deniedByFault(faults: SimFaultSet, a: Attributes): boolean {
  for (const [verb = '', resource = ''] of faults.instances('rbac-missing')) {
    if (verb !== '*' && verb !== a.verb) continue;
    if (isNonResourceURL(resource) !== !a.isResourceRequest) continue;
    if (a.isResourceRequest ? faultResourceMatches(resource, a) : faultPathMatches(resource, a.path)) return true;
  }
  return false;
}

/** The text after `is forbidden: ` in the real 403 (responsewriters.forbiddenMessage). */
export function forbiddenMessage(a: Attributes): string {
  if (!a.isResourceRequest) return `User "${a.user.username}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}

export function attributesOf(info: RequestInfo, user: UserInfo, verb = info.verb): Attributes {
  return {
    user,
    verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    group: info.group,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
  };
}

export class Authorizer {
  constructor(
    private readonly faults: SimFaultSet,
    private readonly rbac: RbacAuthorizer,
  ) {}

  decide(a: Attributes): Decision {
    if (deniedByFault(this.faults, a)) return { allowed: false, reason: '' };
    if (a.isResourceRequest && this.faultNamesVerb(a.verb)) {
      // The identity's roles are the rules written out without the faulted permission
      // (rules-without-faults.ts): for a verb a fault names, what they do not list is denied —
      // a resource the sim does not serve too, as a role enumerating the served ones would —
      // so single reviews and the rules review agree.
      const { rules } = this.rbacRules(a.user, a.namespace);
      return { allowed: rules.some((rule) => ruleAllows(a, rule)), reason: '' };
    }
    if (a.user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    return this.rbac.authorize(a);
  }

  private faultNamesVerb(verb: string): boolean {
    return this.faults
      .instances('rbac-missing')
      .some(([v = '', resource = '']) => (v === '*' || v === verb) && !isNonResourceURL(resource));
  }

  /**
   * Throws the real 403 (responsewriters.ForbiddenStatusError: the reason appended after `: `
   * when there is one). Non-resource requests get NewForbidden with an empty GroupResource, so
   * the message starts with `forbidden: ` and every details field is empty (`"details":{}`).
   */
  check(a: Attributes): void {
    const decision = this.decide(a);
    if (decision.allowed) return;
    const message = forbiddenMessage(a) + (decision.reason ? `: ${decision.reason}` : '');
    if (!a.isResourceRequest) throw new StatusError(403, 'Forbidden', `forbidden: ${message}`, {});
    throw forbidden({ group: a.group, resource: a.resource }, a.name, message);
  }

  /**
   * The rules a SelfSubjectRulesReview lists: RBAC's, minus what `rbac-missing` takes away
   * (rules-without-faults.ts), so the review and single reviews agree as they do on a real server.
   */
  rbacRules(user: UserInfo, namespace: string | undefined) {
    const { rules, errors } = this.rbac.rulesFor(user, namespace);
    return { rules: withoutFaulted(rules, this.faults.instances('rbac-missing')), errors };
  }
}
