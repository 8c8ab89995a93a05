/**
 * A SelfSubjectRulesReview's non-resource rules read as the RBAC authorizer reads them
 * (pkg/apis/rbac/v1/evaluation_helpers.go NonResourceURLMatches: `*`, the exact path, or a
 * prefix when the rule ends in `*`; VerbMatches: the verb or `*`).
 */
import { describe, expect, it } from 'vitest';
import { nonResourceRuleAllows } from '../../src/checks/preflight/rule-match.js';
import type { RbacNeed } from '../../src/kernel/catalog.js';

const metrics: RbacNeed = { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster' };

describe('non-resource rules of a rules review', () => {
  it('grant /metrics by its path, a prefix ending in *, or *, for get or *', () => {
    for (const urls of [['/metrics'], ['/metrics*'], ['/*'], ['*'], ['/healthz', '/metrics']])
      expect(nonResourceRuleAllows({ verbs: ['get'], nonResourceURLs: urls }, metrics), urls.join()).toBe(true);
    expect(nonResourceRuleAllows({ verbs: ['*'], nonResourceURLs: ['/metrics'] }, metrics)).toBe(true);
  });

  it('do not grant it for another verb, another path, a prefix without *, or a resource need', () => {
    expect(nonResourceRuleAllows({ verbs: ['post'], nonResourceURLs: ['/metrics'] }, metrics)).toBe(false);
    expect(nonResourceRuleAllows({ verbs: ['get'], nonResourceURLs: ['/metrics/slis'] }, metrics)).toBe(false);
    expect(nonResourceRuleAllows({ verbs: ['get'], nonResourceURLs: ['/met'] }, metrics)).toBe(false);
    expect(nonResourceRuleAllows({ verbs: ['get'], nonResourceURLs: ['/api/*'] }, metrics)).toBe(false);
    const pods: RbacNeed = { verb: 'get', group: '', resource: 'pods', scope: 'run' };
    expect(nonResourceRuleAllows({ verbs: ['get'], nonResourceURLs: ['*'] }, pods)).toBe(false);
  });
});
