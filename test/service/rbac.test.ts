/**
 * GET /v1/rbac and the RBAC needs in GET /v1/checks, from the real catalog: optional needs are
 * rendered in their own `kubeproof-audit-optional` roles, each rule commented with what it
 * enables, and non-resource URLs become ClusterRole `nonResourceURLs`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ENCRYPTION_RBAC } from '../../src/checks/encryption/index.js';
import { suiteCatalog } from '../../src/engine/suite/suite.js';
import { renderRbacManifests } from '../../src/rbac/manifests.js';
import { RUN_NAMESPACE_RBAC } from '../../src/workload/rbac.js';
import { call, createHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Array<{ apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[]; verbs: string[] }>;
}

async function rbacFor(checks: string) {
  harness = createHarness({ catalog: suiteCatalog() });
  const res = await call(harness, 'GET', `/v1/rbac?checks=${checks}`);
  expect(res.status, res.text).toBe(200);
  const docs = parseAllDocuments(res.text);
  for (const doc of docs) expect(doc.errors, res.text).toEqual([]);
  const manifests = docs.map((doc) => doc.toJS() as Manifest);
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
  return { text: res.text, manifests, find };
}

describe('GET /v1/rbac with optional and non-resource needs', () => {
  it('grants GET /metrics as an optional nonResourceURLs rule, commented with the strategy it enables', async () => {
    const { text, find } = await rbacFor('encryption');
    const optional = find('ClusterRole', 'kubeproof-audit-optional');
    expect(optional?.rules, text).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    expect(text).toMatch(
      /# optional: enables the apiserver-metrics strategy of secrets\.encryption.*\n\s+- nonResourceURLs:/,
    );
    expect(find('ClusterRoleBinding', 'kubeproof-audit-optional'), text).toBeDefined();
    const required = find('ClusterRole', 'kubeproof-audit');
    expect(JSON.stringify(required?.rules), text).not.toContain('/metrics');
    // The marker goes with the run's namespace: `create` only (the namespace mode adds `delete`).
    expect(required?.rules, text).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['create'] });
  });

  it('puts optional kube-system permissions in an optional Role there, each rule commented', async () => {
    const { text, find } = await rbacFor('encryption');
    const role = find('Role', 'kubeproof-audit-optional');
    expect(role?.metadata.namespace, text).toBe('kube-system');
    // secrets.encryption needs no pod of its own (no workload.rollout in the plan): nothing
    // required covers `list pods` or `pods/exec` in kube-system, so both are optional there.
    expect(role?.rules, text).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
    ]);
    expect(text).toMatch(/# optional: enables the etcd-exec strategy.*\n\s+- apiGroups:/);
    expect(find('RoleBinding', 'kubeproof-audit-optional')?.metadata.namespace, text).toBe('kube-system');
    expect(find('Role', 'kubeproof-audit'), 'nothing in kube-system is required by encryption').toBeUndefined();
  });

  it('renders every optional need of the encryption check, with what it enables, when nothing covers them', () => {
    const text = renderRbacManifests(ENCRYPTION_RBAC);
    const manifests = parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
    const role = manifests.find((m) => m.kind === 'Role' && m.metadata.name === 'kubeproof-audit-optional');
    expect(role?.rules, text).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
    ]);
    expect(text).toMatch(/# optional: enables the etcd-exec and apiserver-flags strategies.*\n\s+- apiGroups:/);
  });

  it('leaves out optional rules a required cluster-wide grant already covers', async () => {
    const { text, find } = await rbacFor('smoke,encryption');
    // The smoke checks exec into their own pods: pods/exec is granted cluster-wide, kube-system included.
    expect(find('ClusterRole', 'kubeproof-audit')?.rules, text).toContainEqual(
      expect.objectContaining({ resources: ['pods/exec'] }),
    );
    // The cluster-shape reads (optional): listing pods and Deployments in kube-system is covered by
    // the cluster-wide grant, the ConfigMaps and DaemonSets there are not.
    expect(find('Role', 'kubeproof-audit-optional')?.rules, text).toEqual([
      expect.objectContaining({ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }),
      expect.objectContaining({ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['list'] }),
    ]);
    expect(find('ClusterRole', 'kubeproof-audit-optional')?.rules, text).toEqual([
      // Waiting for a new namespace's default ServiceAccount, only once admission refused a pod for its lack.
      expect.objectContaining({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['list', 'watch'] }),
      expect.objectContaining({ apiGroups: ['crd.projectcalico.org'], resources: ['ippools'], verbs: ['list'] }),
      // kubeproof's allow policy in its run namespaces, and reading what selects its pods there.
      expect.objectContaining({
        apiGroups: ['networking.k8s.io'],
        resources: ['networkpolicies'],
        verbs: ['create', 'list'],
      }),
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    expect(text).toMatch(/# optional: lets kubeproof add a NetworkPolicy allowing its own pods' traffic/);
  });

  it('renders no optional role when the selection has no optional need', async () => {
    const { text, manifests } = await rbacFor('nodes.ready');
    expect(
      manifests.map((m) => m.metadata.name),
      text,
    ).not.toContain('kubeproof-audit-optional');
  });
});

describe('GET /v1/checks', () => {
  it('describes the encryption check’s optional needs, the non-resource URL included', async () => {
    harness = createHarness({ catalog: suiteCatalog() });
    const res = await call(harness, 'GET', '/v1/checks');
    expect(res.status, res.text).toBe(200);
    const entry = res.body.items.find((c: { id: string }) => c.id === 'secrets.encryption');
    expect(entry?.rbac, res.text).toContainEqual({
      verb: 'get',
      group: '',
      resource: '',
      nonResourceURL: '/metrics',
      scope: 'cluster',
      optional: true,
      purpose:
        "enables the apiserver-metrics strategy of secrets.encryption (kube-apiserver's transformation counters)",
    });
    // Required: the run namespace it writes into (create, delete, get, list, watch) and creating the
    // marker Secret (it goes with the namespace: no delete).
    expect(entry?.rbac.filter((n: { optional?: boolean }) => !n.optional).length, res.text).toBe(
      RUN_NAMESPACE_RBAC.length + 1,
    );
  });
});
