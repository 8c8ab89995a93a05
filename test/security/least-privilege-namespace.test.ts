/**
 * Least-privilege mode end to end through the HTTP API, against the simulated cluster's RBAC and
 * TokenRequest (as test/service/least-privilege.test.ts does for the default mode): an operator
 * creates a namespace holding objects of their own, applies GET /v1/rbac?namespace=NAME with
 * kubectl, makes a token-only kubeconfig with `kubectl create token`; an audit with
 * options.namespace=NAME is green, and afterwards the namespace is exactly as before (same
 * object, same labels and annotations, the operator's objects untouched) with every object of
 * the run gone. With one rule taken out of the Role, preflight names that permission and the run
 * ends in error, never failed. The server default (KUBEPROOF_AUDIT_NAMESPACE) does the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { namespaceFor } from '../../src/workload/names.js';
import { call, createSuiteHarness, type Harness } from '../service/harness.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { renderKubeconfig } from '../sim/kubeconfig.js';
import { createKubectl, hasKubectl, type Kubectl } from '../sim/kubectl.test-helper.js';

const NAMESPACE = 'team-audit';
const CHECKS = ['smoke', 'encryption'];
/** Every kind a run creates, or controllers create for it, in the namespace (events age out on their own). */
const KINDS = [
  'deployments',
  'replicasets',
  'pods',
  'services',
  'endpointslices',
  'secrets',
  'configmaps',
  'serviceaccounts',
];

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
}

describe.runIf(hasKubectl)(
  'least-privilege mode: one existing namespace, a Role there, read-only cluster rules',
  () => {
    let sim: SimCluster;
    let harness: Harness;
    let admin: Kubectl;
    let kubeconfig: string;
    let manifests: string;
    let docs: Manifest[];

    /** kind/name/uid of everything in the namespace, and the namespace object itself. */
    const snapshot = () => {
      const ns = sim.store.get('namespaces', undefined, NAMESPACE);
      const objects = KINDS.flatMap((kind) =>
        sim.store.list(kind, NAMESPACE).map((o) => `${kind}/${o.metadata.name} ${o.metadata.uid}`),
      ).sort();
      return {
        namespace: {
          uid: ns?.metadata.uid,
          resourceVersion: ns?.metadata.resourceVersion,
          labels: ns?.metadata.labels,
          annotations: ns?.metadata.annotations,
          deletionTimestamp: ns?.metadata.deletionTimestamp,
        },
        objects,
      };
    };

    beforeAll(async () => {
      sim = await startSimCluster({ encryption: { provider: 'aescbc' } });
      admin = createKubectl(sim.kubeconfig);
      harness = createSuiteHarness();
      // The operator's namespace and objects of their own, named as kubeproof's would be in a
      // namespace of its own (a Service `web`, a ConfigMap, a Secret).
      await admin.ok(['create', 'namespace', NAMESPACE]);
      await admin.ok(['label', 'namespace', NAMESPACE, 'team=platform']);
      await admin.ok(['-n', NAMESPACE, 'create', 'configmap', 'operator-config', '--from-literal=owner=platform']);
      await admin.ok(['-n', NAMESPACE, 'create', 'secret', 'generic', 'operator-secret', '--from-literal=k=v']);
      await admin.ok(['-n', NAMESPACE, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080']);

      const rbac = await call(harness, 'GET', `/v1/rbac?checks=${CHECKS.join(',')}&namespace=${NAMESPACE}`);
      expect(rbac.status, rbac.text).toBe(200);
      manifests = rbac.text;
      docs = parseAllDocuments(manifests).map((d) => d.toJS() as Manifest);
      await admin.ok(['apply', '-f', '-'], manifests);
      const token = (await admin.ok(['create', 'token', 'kubeproof', '-n', NAMESPACE, '--duration=1h'])).trim();
      kubeconfig = renderKubeconfig({ server: sim.url, caPem: sim.caPem, token, user: 'kubeproof' });
      // What controllers add to a new namespace is there before we look (the default ServiceAccount,
      // the root CA ConfigMap), so the snapshots compare only what the audit did.
      await admin.eventually(['-n', NAMESPACE, 'get', 'serviceaccount', 'default', '-o', 'name'], (out) => out !== '');
      await admin.eventually(
        ['-n', NAMESPACE, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'name'],
        (out) => out !== '',
      );
    });
    afterAll(async () => {
      await harness?.close();
      admin?.dispose();
      await sim?.stop();
    });

    const audit = async (options: Record<string, unknown> | undefined, h: Harness = harness) => {
      const created = await call(h, 'POST', '/v1/audits', {
        json: { kubeconfig, checks: CHECKS, ...(options ? { options } : {}) },
      });
      expect(created.status, created.text).toBe(202);
      await h.runner.whenIdle();
      return (await call(h, 'GET', created.body.links.self)).body;
    };

    it('renders a Role in the namespace and only read-only rules cluster-wide, each rule commented', () => {
      expect(docs.map((d) => d.kind)).not.toContain('Namespace');
      const role = docs.find((d) => d.kind === 'Role' && d.metadata.name === 'kubeproof-audit');
      expect(role?.metadata.namespace, manifests).toBe(NAMESPACE);
      const grants = (resource: string) => role?.rules?.find((r) => r.resources?.includes(resource))?.verbs;
      expect(grants('pods'), manifests).toEqual(['create', 'delete', 'get', 'list', 'watch']);
      expect(grants('pods/exec')).toEqual(['create', 'get']);
      expect(grants('pods/portforward')).toEqual(['create', 'get']);
      expect(grants('pods/log')).toEqual(['get']);
      expect(grants('deployments')).toEqual(
        expect.arrayContaining(['create', 'delete', 'get', 'list', 'patch', 'watch']),
      );
      expect(grants('services')).toEqual(expect.arrayContaining(['create', 'delete', 'get', 'list', 'watch']));
      expect(grants('endpointslices')).toEqual(['get', 'list', 'watch']);
      expect(grants('secrets'), 'the operator’s Secrets are never read').toEqual(['create', 'delete']);
      expect(grants('namespaces'), 'its own namespace: read, never changed').toEqual(['get']);
      expect(
        docs.find((d) => d.kind === 'RoleBinding' && d.metadata.name === 'kubeproof-audit')?.metadata.namespace,
      ).toBe(NAMESPACE);

      const cluster = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'kubeproof-audit');
      const clusterRules = docs.filter((d) => d.kind === 'ClusterRole').flatMap((d) => d.rules ?? []);
      expect(clusterRules.length).toBeGreaterThan(0);
      for (const rule of clusterRules) {
        const readOnly = rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v));
        // Asking "may I?" (the preflight's SelfSubjectRulesReview, SelfSubjectAccessReview for what it
        // cannot list) is the one create: it changes nothing (every user may, via system:basic-user).
        const asks =
          ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'].includes(rule.resources?.join() ?? '') &&
          rule.verbs.join() === 'create';
        expect(readOnly || asks, JSON.stringify(rule)).toBe(true);
        expect(rule.resources ?? [], JSON.stringify(rule)).not.toContain('namespaces');
      }
      expect(cluster?.rules?.find((r) => r.resources?.includes('nodes'))?.verbs).toEqual(['list']);

      // Every rule says what it is for: the line before each rule is a comment.
      const lines = manifests.split('\n');
      const ruleLines = lines.flatMap((l, i) => (/^\s*- (apiGroups|nonResourceURLs):/.test(l) ? [i] : []));
      expect(ruleLines.length).toBeGreaterThan(10);
      for (const i of ruleLines) expect(lines[i - 1], lines.slice(i - 2, i + 3).join('\n')).toMatch(/^\s*# \S/);
      expect(manifests).toMatch(
        /# for [^\n]*pods\.exec[^\n]*\n\s+- apiGroups:\n\s+- ""\n\s+resources:\n\s+- pods\/exec\n/,
      );
    });

    it('passes every check with the namespaced token, and leaves the namespace as it found it', async () => {
      const before = snapshot();
      const run = await audit({ namespace: NAMESPACE });
      const notPassed = run.checks.filter((c: { status: string }) => c.status !== 'passed');
      expect(run.status, JSON.stringify(notPassed, null, 2)).toBe('passed');
      expect(run.checks.length).toBeGreaterThan(10);
      expect(run.options.namespace).toBe(NAMESPACE);
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ namespace: NAMESPACE, deleted: true });
      // It worked there under its own names, never in a namespace of its own.
      const events = (await call(harness, 'GET', `${run.links.self}/events`)).body.items.map(
        (e: { message: string }) => e.message,
      );
      expect(events.join('\n')).toContain(`working in the existing namespace ${NAMESPACE}`);
      expect(events.join('\n')).not.toMatch(/sweep|namespace kubeproof-\S+ (created|deleted)/);
      expect(sim.store.get('namespaces', undefined, namespaceFor(run.id))).toBeUndefined();
      expect(JSON.stringify(run.checks)).toContain(`${namespaceFor(run.id)}-web`);

      expect(snapshot()).toEqual(before);
    });

    it('names exactly the permission a removed rule took away, and fails nothing', async () => {
      const role = structuredClone(docs.find((d) => d.kind === 'Role' && d.metadata.name === 'kubeproof-audit'));
      const rule = role?.rules?.find((r) => r.resources?.includes('pods/portforward'));
      expect(rule?.verbs).toEqual(['create', 'get']);
      if (rule) rule.verbs = ['create'];
      await admin.ok(['apply', '-f', '-'], JSON.stringify(role));
      try {
        const before = snapshot();
        const run = await audit({ namespace: NAMESPACE });
        expect(run.status, JSON.stringify(run.checks, null, 2)).toBe('error');
        const preflight = run.checks.find((c: { id: string }) => c.id === 'preflight.api');
        expect(preflight.status).toBe('error');
        expect(preflight.summary).toBe(`missing permissions: cannot get pods/portforward in namespace ${NAMESPACE}`);
        expect(run.checks.filter((c: { status: string }) => c.status === 'failed')).toEqual([]);
        expect(snapshot()).toEqual(before);
      } finally {
        await admin.ok(['apply', '-f', '-'], manifests);
      }
    });

    it('runs in the server default namespace (KUBEPROOF_AUDIT_NAMESPACE) when the options name none', async () => {
      const withDefault = createSuiteHarness({ defaultNamespace: NAMESPACE });
      try {
        const before = snapshot();
        const run = await audit(undefined, withDefault);
        expect(run.status, JSON.stringify(run.checks, null, 2)).toBe('passed');
        expect(run.options.namespace).toBe(NAMESPACE);
        expect(snapshot()).toEqual(before);
      } finally {
        await withDefault.close();
      }
    });

    it('without the mode, the namespaced token cannot create a namespace of its own: preflight says so', async () => {
      const run = await audit({});
      expect(run.status).toBe('error');
      const preflight = run.checks.find((c: { id: string }) => c.id === 'preflight.api');
      expect(preflight.summary).toContain('cannot create namespaces at the cluster scope');
      expect(run.checks.filter((c: { status: string }) => c.status === 'failed')).toEqual([]);
    });
  },
);
