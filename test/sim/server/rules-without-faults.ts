/**
 * What a SelfSubjectRulesReview lists while `rbac-missing` faults are on. The fault stands for
 * an identity whose roles lack one permission (see authz.ts); a real API server's rules review
 * of such an identity simply does not list it (pkg/registry/authorization/selfsubjectrulesreview/
 * rest.go returns what RBAC's RulesFor resolves: the role's own rules). RBAC has no deny, so a
 * wildcard rule (cluster-admin's `*`) that would grant the faulted permission is written out as
 * the explicit rules it stands for — every served group, resource, subresource and verb, or for
 * URLs every path the simulated server serves — minus the faulted permission, as the rules of a
 * role granting "everything but that" would be. Rules that cannot grant it are left as they are.
 */

import { resourceDefs } from '../store/resources.js';
import type { PolicyRule } from './rbac.js';

/** A fault resource starting with `/` is a non-resource URL (`rbac-missing:get:/metrics`). */
export const isNonResourceURL = (faultResource: string): boolean => faultResource.startsWith('/');

/** The non-resource paths the simulated API server serves (api-server.ts, health.ts, openapi.ts). */
const SERVED_PATHS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/healthz/*',
  '/livez',
  '/livez/*',
  '/readyz',
  '/readyz/*',
  '/metrics',
  '/openapi/*',
  '/version',
  '/version/',
];
/** The verbs of non-resource requests (the HTTP method, lower-cased: request-info.go). */
const URL_VERBS = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put'];

interface Fault {
  verb: string;
  resource: string;
}

const has = (set: readonly string[] | undefined, v: string) => (set ?? []).includes('*') || (set ?? []).includes(v);

/** Every `resource` or `resource/subresource` of a group the sim serves, with its verbs. */
function servedResources(group: string): Array<{ name: string; verbs: string[] }> {
  const out: Array<{ name: string; verbs: string[] }> = [];
  for (const d of resourceDefs.filter((r) => r.group === group)) {
    out.push({ name: d.plural, verbs: d.verbs });
    for (const s of d.subresources) out.push({ name: `${d.plural}/${s.name}`, verbs: s.verbs });
  }
  return out;
}

const servedGroups = (): string[] => [...new Set(resourceDefs.map((d) => d.group))];

/** Whether RBAC's rule resource entry `entry` covers `resource` (`pods/exec`), as ruleAllows does. */
function entryCovers(entry: string, resource: string): boolean {
  const sub = resource.split('/')[1];
  return entry === '*' || entry === resource || (sub !== undefined && entry === `*/${sub}`);
}

/** Whether the fault takes `verb resource` in `group` away (authz.ts faultResourceMatches). */
function faultTakes(f: Fault, group: string, resource: string, verb: string): boolean {
  if (f.verb !== '*' && f.verb !== verb) return false;
  const [fres = '', fsub = ''] = f.resource.split('/');
  const [res = '', sub = ''] = resource.split('/');
  if (fsub !== sub) return false;
  return fres === '*' || fres === res || (group !== '' && fres === `${res}.${group}`);
}

function urlCovers(entry: string, path: string): boolean {
  return entry === '*' || entry === path || (entry.endsWith('*') && path.startsWith(entry.slice(0, -1)));
}

/** Every verb a served resource or subresource takes: what `*` stands for when it is written out. */
const servedVerbs = (): string[] =>
  [...new Set(resourceDefs.flatMap((d) => [...d.verbs, ...d.subresources.flatMap((sub) => sub.verbs)]))].sort();

/**
 * One resource rule without what the faults take: the verbs no fault names stay as one rule as
 * broad as before (a wildcard still covers resources the sim does not serve); the verbs a fault
 * names are written out per served (group, resource), minus the faulted ones.
 */
function withoutResourceFaults(rule: PolicyRule, faults: readonly Fault[]): PolicyRule[] {
  const ruleVerbs = (rule.verbs ?? []).includes('*') ? servedVerbs() : (rule.verbs ?? []);
  const named = (v: string) => faults.some((f) => f.verb === '*' || f.verb === v);
  const out: PolicyRule[] = [];
  const untouched = ruleVerbs.filter((v) => !named(v));
  if (untouched.length) out.push({ ...rule, verbs: untouched });
  const touched = ruleVerbs.filter(named);
  const groups = (rule.apiGroups ?? []).includes('*') ? servedGroups() : (rule.apiGroups ?? []);
  for (const group of groups) {
    for (const served of servedResources(group)) {
      if (!(rule.resources ?? []).some((e) => entryCovers(e, served.name))) continue;
      const verbs = touched.filter((v) => served.verbs.includes(v) || !(rule.verbs ?? []).includes('*'));
      const left = verbs.filter((v) => !faults.some((f) => faultTakes(f, group, served.name, v)));
      if (left.length === 0) continue;
      const atom: PolicyRule = { verbs: left, apiGroups: [group], resources: [served.name] };
      if (rule.resourceNames?.length) atom.resourceNames = rule.resourceNames;
      out.push(atom);
    }
  }
  return out;
}

/** One non-resource rule, written out per served path with the verbs the faults leave. */
function withoutUrlFaults(rule: PolicyRule, faults: readonly Fault[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const verbs = (rule.verbs ?? []).includes('*') ? URL_VERBS : (rule.verbs ?? []);
  for (const path of SERVED_PATHS) {
    if (!(rule.nonResourceURLs ?? []).some((e) => urlCovers(e, path))) continue;
    const left = verbs.filter(
      (v) => !faults.some((f) => (f.verb === '*' || f.verb === v) && urlCovers(f.resource, path)),
    );
    if (left.length) out.push({ verbs: left, nonResourceURLs: [path] });
  }
  return out;
}

/** Whether the rule could grant anything a fault takes away: only those are written out. */
function touched(rule: PolicyRule, faults: readonly Fault[]): boolean {
  return faults.some((f) => {
    if (f.verb !== '*' && !has(rule.verbs, f.verb)) return false;
    if (isNonResourceURL(f.resource)) return (rule.nonResourceURLs ?? []).length > 0;
    return (rule.resources ?? []).length > 0;
  });
}

/**
 * The rules minus what the `rbac-missing` faults (`[verb, resource]` pairs) take away.
 * @example withoutFaulted([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [['create', 'pods/exec']])
 */
export function withoutFaulted(rules: readonly PolicyRule[], instances: readonly string[][]): PolicyRule[] {
  const faults: Fault[] = instances.map(([verb = '', resource = '']) => ({ verb, resource }));
  if (faults.length === 0) return [...rules];
  return rules.flatMap((rule) => {
    if (!touched(rule, faults)) return [rule];
    const resourceFaults = faults.filter((f) => !isNonResourceURL(f.resource));
    const urlFaults = faults.filter((f) => isNonResourceURL(f.resource));
    if ((rule.resources ?? []).length > 0)
      return resourceFaults.length ? withoutResourceFaults(rule, resourceFaults) : [rule];
    return urlFaults.length ? withoutUrlFaults(rule, urlFaults) : [rule];
  });
}
