import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFault } from '../faults.js';
import { type SimCluster, startSimCluster } from '../index.js';
import { rawRequest, withFault } from '../sim-http.test-helper.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true, user: 'kubeproof' });
});
afterAll(async () => {
  await sim.stop();
});

const review = (spec: unknown) =>
  rawRequest(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec },
  });

describe('rbac-missing on a non-resource URL', () => {
  it('answers GET /metrics with the real non-resource 403 body while rbac-missing:get:/metrics is on', async () => {
    await withFault(sim, 'rbac-missing:get:/metrics', async () => {
      const denied = await rawRequest(sim, 'GET', '/metrics');
      expect(denied.status, denied.text).toBe(403);
      expect(denied.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'forbidden: User "kubeproof" cannot get path "/metrics"',
        reason: 'Forbidden',
        details: {},
        code: 403,
      });
      const version = await rawRequest(sim, 'GET', '/version');
      expect(version.status, version.text).toBe(200);
    });
    const after = await rawRequest(sim, 'GET', '/metrics');
    expect(after.status, after.text).toBe(200);
  });

  it('answers a SelfSubjectAccessReview with nonResourceAttributes allowed=false, and only for that path and verb', async () => {
    await withFault(sim, 'rbac-missing:get:/metrics', async () => {
      const denied = await review({ nonResourceAttributes: { path: '/metrics', verb: 'get' } });
      expect(denied.status, denied.text).toBe(201);
      // RBAC gives no reason for a plain denial (plugin/pkg/auth/authorizer/rbac/rbac.go), and the
      // API omits an empty reason.
      expect(denied.json().status, denied.text).toEqual({ allowed: false });
      expect(denied.json().spec, denied.text).toEqual({ nonResourceAttributes: { path: '/metrics', verb: 'get' } });
      const otherPath = await review({ nonResourceAttributes: { path: '/version', verb: 'get' } });
      expect(otherPath.json().status.allowed, otherPath.text).toBe(true);
      const otherVerb = await review({ nonResourceAttributes: { path: '/metrics', verb: 'post' } });
      expect(otherVerb.json().status.allowed, otherVerb.text).toBe(true);
    });
  });

  it('never lets a non-resource fault deny a resource, nor a resource fault deny a path', async () => {
    await withFault(sim, 'rbac-missing:get:/metrics', async () => {
      const pods = await review({ resourceAttributes: { verb: 'get', resource: 'metrics' } });
      expect(pods.json().status.allowed, pods.text).toBe(true);
    });
    await withFault(sim, 'rbac-missing:*:*', async () => {
      const metrics = await rawRequest(sim, 'GET', '/metrics');
      expect(metrics.status, metrics.text).toBe(200);
      const namespaces = await rawRequest(sim, 'GET', '/api/v1/namespaces');
      expect(namespaces.status, namespaces.text).toBe(403);
    });
  });

  it('matches a trailing * as a path prefix, as RBAC nonResourceURLs do', async () => {
    await withFault(sim, 'rbac-missing:get:/metrics*', async () => {
      expect((await rawRequest(sim, 'GET', '/metrics')).status).toBe(403);
      const review2 = await review({ nonResourceAttributes: { path: '/metrics/slis', verb: 'get' } });
      expect(review2.json().status.allowed, review2.text).toBe(false);
      expect((await rawRequest(sim, 'GET', '/version')).status).toBe(200);
    });
  });
});

describe('rbac-missing argument validation', () => {
  it('accepts resources, subresources, grouped resources and non-resource paths', () => {
    for (const spec of [
      'rbac-missing:get:/metrics',
      'rbac-missing:get:/metrics*',
      'rbac-missing:create:pods/exec',
      'rbac-missing:create:deployments.apps',
      'rbac-missing:*:*',
    ]) {
      expect(parseFault(spec).spec).toBe(spec);
    }
  });

  it.each([
    ['rbac-missing:GET:/metrics', /verb "GET" is not a Kubernetes verb/],
    ['rbac-missing:get:/met rics', /non-resource path "\/met rics" must be a URL path/],
    ['rbac-missing:get:/me*trics', /non-resource path "\/me\*trics"/],
    [
      'rbac-missing:get:Pods',
      /resource "Pods" must be <resource>\[\.<group>\]\[\/<subresource>\] or a non-resource path/,
    ],
  ])('refuses %s with a message saying what is wrong', (spec, message) => {
    expect(() => parseFault(spec)).toThrow(message);
  });
});

describe('rbac-missing in the rules review', () => {
  const rulesReview = async (namespace: string) => {
    const res = await rawRequest(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
    });
    expect(res.status, res.text).toBe(201);
    return res.json().status as {
      resourceRules: Array<{ verbs: string[]; apiGroups?: string[]; resources?: string[] }>;
      incomplete: boolean;
    };
  };
  const lists = (
    rules: Array<{ verbs: string[]; apiGroups?: string[]; resources?: string[] }>,
    verb: string,
    group: string,
    resource: string,
  ) =>
    rules.some(
      (r) =>
        (r.verbs.includes('*') || r.verbs.includes(verb)) &&
        (r.apiGroups ?? []).some((g) => g === '*' || g === group) &&
        (r.resources ?? []).some((x) => x === '*' || x === resource),
    );

  it("lists the admin's wildcard as is without faults, and leaves the faulted permission out while one is on", async () => {
    const healthy = await rulesReview('default');
    expect(healthy.incomplete).toBe(false);
    expect(healthy.resourceRules).toContainEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    await withFault(sim, 'rbac-missing:create:pods/exec', async () => {
      const { resourceRules } = await rulesReview('default');
      expect(lists(resourceRules, 'create', '', 'pods/exec')).toBe(false);
      expect(lists(resourceRules, 'get', '', 'pods/exec')).toBe(true);
      expect(lists(resourceRules, 'create', '', 'pods')).toBe(true);
      expect(lists(resourceRules, 'create', 'apps', 'deployments')).toBe(true);
      // A verb no fault names keeps the wildcard: resources the sim does not serve stay granted.
      expect(lists(resourceRules, 'list', 'crd.projectcalico.org', 'ippools')).toBe(true);
    });
  });

  it('agrees with single reviews for a verb a fault names, served resource or not', async () => {
    await withFault(sim, 'rbac-missing:list:pods', async () => {
      const { resourceRules } = await rulesReview('default');
      for (const [group, resource] of [
        ['', 'pods'],
        ['', 'services'],
        ['crd.projectcalico.org', 'ippools'],
      ] as const) {
        const single = await review({ resourceAttributes: { verb: 'list', group, resource, namespace: 'default' } });
        expect(lists(resourceRules, 'list', group, resource), `${resource}.${group}`).toBe(
          single.json().status.allowed,
        );
      }
    });
  });
});
