/**
 * The README's least-privilege flow, end to end through the HTTP API against the simulated
 * cluster's RBAC: GET /v1/rbac → kubectl apply → kubectl create token → a token-only kubeconfig
 * → POST /v1/audits → every check green; then one verb taken out of the applied ClusterRole →
 * preflight names exactly that permission and the run ends in error, not failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { renderKubeconfig } from '../sim/kubeconfig.js';
import { createKubectl, hasKubectl, type Kubectl } from '../sim/kubectl.test-helper.js';
import { call, createSuiteHarness, type Harness } from './harness.js';

describe.runIf(hasKubectl)('least privilege: the manifests of GET /v1/rbac are enough, and each rule is needed', () => {
  let sim: SimCluster;
  let harness: Harness;
  let admin: Kubectl;
  let kubeconfig: string;
  let manifests: string;

  beforeAll(async () => {
    sim = await startSimCluster({ encryption: { provider: 'aescbc' } });
    admin = createKubectl(sim.kubeconfig);
    harness = createSuiteHarness();
    const rbac = await call(harness, 'GET', '/v1/rbac?checks=smoke,encryption');
    expect(rbac.status, rbac.text).toBe(200);
    manifests = rbac.text;
    await admin.ok(['apply', '-f', '-'], manifests);
    const token = (await admin.ok(['create', 'token', 'kubeproof', '-n', 'kubeproof', '--duration=1h'])).trim();
    kubeconfig = renderKubeconfig({ server: sim.url, caPem: sim.caPem, token, user: 'kubeproof' });
  });
  afterAll(async () => {
    await harness?.close();
    admin?.dispose();
    await sim?.stop();
  });

  const audit = async () => {
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig, checks: ['smoke', 'encryption'] },
    });
    expect(created.status, created.text).toBe(202);
    await harness.runner.whenIdle();
    return (await call(harness, 'GET', created.body.links.self)).body;
  };

  it('passes every check with the ServiceAccount token alone', async () => {
    const run = await audit();
    const notPassed = run.checks.filter((c: { status: string }) => c.status !== 'passed');
    expect(run.status, JSON.stringify(notPassed, null, 2)).toBe('passed');
    expect(run.checks.length).toBeGreaterThan(10);
    expect(run.cleanup.deleted, JSON.stringify(run.cleanup)).toBe(true);
  });

  it('ConfigMaps granted by name (get) instead of list: the shape says it could not list them, no verdict changes', async () => {
    const docs = parseAllDocuments(manifests).map((d) => d.toJSON());
    const optional = docs.find((d) => d?.kind === 'Role' && d.metadata.name === 'kubeproof-audit-optional');
    const rule = optional.rules.find((r: { resources?: string[] }) => r.resources?.includes('configmaps'));
    expect(rule.verbs).toEqual(['list']);
    // An older grant: get of the names the shape used to read one by one.
    Object.assign(rule, { verbs: ['get'], resourceNames: ['kube-proxy', 'kube-proxy-config', 'kubeadm-config'] });
    await admin.ok(['apply', '-f', '-'], JSON.stringify(optional));
    try {
      const run = await audit();
      expect(run.status, JSON.stringify(run.checks, null, 2)).toBe('passed');
      const preflight = run.checks.find((c: { id: string }) => c.id === 'preflight.api');
      expect(preflight.warnings.join('\n')).toMatch(/list configmaps in namespace kube-system/);
      const network = run.checks.find((c: { id: string }) => c.id === 'pods.network');
      expect(network.evidence.notVisible).toEqual([
        expect.stringMatching(/^configmaps in kube-system: list configmaps in kube-system not granted/),
      ]);
    } finally {
      Object.assign(rule, { verbs: ['list'], resourceNames: undefined });
      delete rule.resourceNames;
      await admin.ok(['apply', '-f', '-'], JSON.stringify(optional));
    }
  });

  it('names exactly the permission a removed rule took away', async () => {
    const docs = parseAllDocuments(manifests).map((d) => d.toJSON());
    const role = docs.find((d) => d?.kind === 'ClusterRole' && d.metadata.name === 'kubeproof-audit');
    const rule = role.rules.find((r: { resources?: string[] }) => r.resources?.includes('pods/exec'));
    expect(rule.verbs).toEqual(['create', 'get']);
    rule.verbs = ['create'];
    await admin.ok(['apply', '-f', '-'], JSON.stringify(role));

    const run = await audit();
    expect(run.status, JSON.stringify(run.checks, null, 2)).toBe('error');
    const preflight = run.checks.find((c: { id: string }) => c.id === 'preflight.api');
    expect(preflight.status).toBe('error');
    expect(preflight.summary).toMatch(/^missing permissions: cannot get pods\/exec in namespace kubeproof-[a-z0-9-]+$/);
    expect(run.checks.filter((c: { status: string }) => c.status === 'failed')).toEqual([]);
  });
});
