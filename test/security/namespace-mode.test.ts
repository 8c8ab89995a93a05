/**
 * The pieces of the least-privilege namespace mode that the end-to-end test
 * (least-privilege-namespace.test.ts) does not single out: how the needs change, how
 * `options.namespace` and KUBEPROOF_AUDIT_NAMESPACE are validated, per-run object names, and
 * what an interrupted run says it left.
 */
import { describe, expect, it } from 'vitest';
import { ENCRYPTION_RBAC } from '../../src/checks/encryption/index.js';
import { RBAC } from '../../src/checks/smoke/shared/rbac.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { suiteCatalog } from '../../src/engine/suite/suite.js';
import { leftByInterruptedRun, namespaceFor, workloadHandle } from '../../src/workload/names.js';
import { namespaceModeNeeds, RUN_NAMESPACE_RBAC } from '../../src/workload/rbac.js';
import { call, createHarness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const key = (n: { verb: string; group: string; resource: string; scope: string }) =>
  `${n.verb} ${n.group}/${n.resource} ${n.scope}`;

describe('needs in an operator’s namespace', () => {
  it('drop every namespace lifecycle grant for a read of that one namespace, and add what cleanup takes', () => {
    const needs = namespaceModeNeeds(RBAC.workload).map(key);
    for (const n of RUN_NAMESPACE_RBAC) expect(needs).not.toContain(key(n));
    expect(needs).toContain('get /namespaces run');
    expect(needs).toEqual(
      expect.arrayContaining([
        'delete apps/deployments run',
        'list apps/replicasets run',
        'watch apps/replicasets run',
        'delete /services run',
        'watch discovery.k8s.io/endpointslices run',
        'delete /pods run',
      ]),
    );
    expect(needs.filter((n) => n.endsWith(' cluster'))).toEqual([]);
  });

  it('never list or read Secrets, even though encryption writes one', () => {
    const needs = namespaceModeNeeds(ENCRYPTION_RBAC).map(key);
    expect(needs.filter((n) => n.includes('/secrets'))).toEqual(['create /secrets run', 'delete /secrets run']);
  });

  it('leave needs that create nothing in a namespace alone', () => {
    expect(namespaceModeNeeds(RBAC.listNodes)).toEqual(RBAC.listNodes);
  });
});

describe('per-run names', () => {
  const id = '0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69';
  it('keep the guide’s names in the run’s own namespace and prefix them in a shared one', () => {
    const own = workloadHandle(id, 3);
    expect([own.namespace, own.deploymentName, own.clientPodName, own.webLabelSelector]).toEqual([
      'kubeproof-0b6f4c1e',
      'web',
      'client',
      'app=web',
    ]);
    const shared = workloadHandle(id, 3, 'team-audit');
    expect(shared.sharedNamespace).toBe(true);
    expect([shared.namespace, shared.deploymentName, shared.serviceName, shared.restartProbePodName]).toEqual([
      'team-audit',
      'kubeproof-0b6f4c1e-web',
      'kubeproof-0b6f4c1e-web',
      'kubeproof-0b6f4c1e-restart-probe',
    ]);
    expect(shared.webLabelSelector).toBe(`app=web,kubeproof.io/run-id=${id}`);
  });

  it('say what an interrupted run left: its namespace, or its objects in the operator’s', () => {
    expect(leftByInterruptedRun({ id, options: {} }).namespace).toBe(namespaceFor(id));
    const shared = leftByInterruptedRun({ id, options: { namespace: 'team-audit' } });
    expect(shared.namespace).toBe('team-audit');
    expect(shared.detail).toContain(
      `-n team-audit -l app.kubernetes.io/managed-by=kubeproof,kubeproof.io/run-id=${id}`,
    );
  });
});

describe('options.namespace and KUBEPROOF_AUDIT_NAMESPACE', () => {
  it.each([
    ['Team_A', 'a namespace name'],
    ['x'.repeat(64), 'a namespace name'],
    [42, 'a namespace name (least-privilege mode) or an object with labels and annotations'],
  ])('refuses %j with a 400 naming the field', async (namespace, message) => {
    const harness = createHarness({ catalog: suiteCatalog() });
    try {
      const res = await call(harness, 'POST', '/v1/audits', {
        json: { kubeconfig: kubeconfigYaml(), options: { namespace } },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const errors = res.body.errors as Array<{ path: string; message: string }>;
      expect(errors.find((e) => e.path === 'body.options.namespace')?.message, res.text).toContain(message);
    } finally {
      await harness.close();
    }
  });

  it('keeps a request’s own namespace choice over the server default, either form', async () => {
    const harness = createHarness({ defaultNamespace: 'team-audit' });
    try {
      const submit = async (options?: Record<string, unknown>) => {
        const res = await call(harness, 'POST', '/v1/audits', {
          json: { kubeconfig: kubeconfigYaml(), ...(options ? { options } : {}) },
        });
        expect(res.status, res.text).toBe(202);
        return (await call(harness, 'GET', res.body.links.self)).body.options.namespace;
      };
      expect(await submit()).toBe('team-audit');
      expect(await submit({ replicas: 2 })).toBe('team-audit');
      expect(await submit({ namespace: 'other-team' })).toBe('other-team');
      expect(await submit({ namespace: { labels: { team: 'sre' } } })).toEqual({
        labels: { team: 'sre' },
        annotations: {},
      });
    } finally {
      await harness.close();
    }
  });

  it('refuses a bad KUBEPROOF_AUDIT_NAMESPACE at start-up', () => {
    expect(loadConfig({ KUBEPROOF_AUDIT_NAMESPACE: 'team-audit' }).auditNamespace).toBe('team-audit');
    expect(loadConfig({}).auditNamespace).toBeUndefined();
    expect(() => loadConfig({ KUBEPROOF_AUDIT_NAMESPACE: 'Team A' })).toThrow(ConfigError);
    expect(() => loadConfig({ KUBEPROOF_AUDIT_NAMESPACE: 'Team A' })).toThrow(/KUBEPROOF_AUDIT_NAMESPACE/);
  });
});
