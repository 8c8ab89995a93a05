/**
 * Issue 9 item 2 with the real kubectl v1.32: RBAC objects applied, a ServiceAccount token from
 * `kubectl create token`, and that token judged by the RBAC authorizer — requests, `auth can-i`
 * (SelfSubjectAccessReview), `auth can-i --list` (SelfSubjectRulesReview), `auth whoami`
 * (SelfSubjectReview). Each would fail against a simulation without RBAC or TokenRequest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../index.js';
import { renderKubeconfig } from '../kubeconfig.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';

const manifests = `apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
  namespace: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: team
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["allowed"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader-pods
  namespace: team
subjects:
  - kind: ServiceAccount
    name: reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: node-watcher
rules:
  - apiGroups: [""]
    resources: ["nodes"]
    verbs: ["*"]
  - apiGroups: ["apps"]
    resources: ["*/scale"]
    verbs: ["get"]
  - nonResourceURLs: ["/metrics"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: reader-nodes
subjects:
  - kind: ServiceAccount
    name: reader
    namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: node-watcher
`;

describe.runIf(hasKubectl)('RBAC and ServiceAccount tokens through kubectl', () => {
  let sim: SimCluster;
  let admin: Kubectl;
  let reader: Kubectl;
  let token: string;
  const saUser = 'system:serviceaccount:team:reader';

  beforeAll(async () => {
    sim = await startSimCluster({ apiOnly: true });
    admin = createKubectl(sim.kubeconfig);
    expect(await admin.ok(['apply', '-f', '-'], manifests)).toBe(
      [
        'namespace/team created',
        'serviceaccount/reader created',
        'role.rbac.authorization.k8s.io/pod-reader created',
        'rolebinding.rbac.authorization.k8s.io/reader-pods created',
        'clusterrole.rbac.authorization.k8s.io/node-watcher created',
        'clusterrolebinding.rbac.authorization.k8s.io/reader-nodes created',
        '',
      ].join('\n'),
    );
    token = (await admin.ok(['create', 'token', 'reader', '-n', 'team', '--duration=1h'])).trim();
    reader = createKubectl(renderKubeconfig({ server: sim.url, caPem: sim.caPem, token, user: 'reader' }));
  });
  afterAll(async () => {
    admin?.dispose();
    reader?.dispose();
    await sim?.stop();
  });

  it('issues a bound ServiceAccount JWT for kubectl create token', () => {
    const [, payload = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims.sub).toBe(saUser);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims['kubernetes.io'].serviceaccount.name).toBe('reader');
  });

  it('refuses a duration under ten minutes as TokenRequest validation does', async () => {
    const r = await admin.run(['create', 'token', 'reader', '-n', 'team', '--duration=5m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
  });

  it('kubectl auth whoami names the ServiceAccount and its groups, and the admin as system:masters', async () => {
    const who = JSON.parse(await reader.ok(['auth', 'whoami', '-o', 'json']));
    expect(who.status.userInfo.username).toBe(saUser);
    expect(who.status.userInfo.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:team',
      'system:authenticated',
    ]);
    const me = JSON.parse(await admin.ok(['auth', 'whoami', '-o', 'json']));
    expect(me.status.userInfo).toMatchObject({
      username: sim.user,
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it('kubectl auth can-i answers from the rules: verbs, namespaces, subresources, resourceNames, wildcards, URLs', async () => {
    const can = async (...args: string[]) => {
      const r = await reader.run(['auth', 'can-i', ...args]);
      return r.stdout.trim();
    };
    expect(await can('list', 'pods', '-n', 'team')).toBe('yes');
    expect(await can('list', 'pods', '-n', 'default')).toBe('no');
    expect(await can('delete', 'pods', '-n', 'team')).toBe('no');
    expect(await can('get', 'pods', '--subresource=log', '-n', 'team')).toBe('yes');
    expect(await can('create', 'pods', '--subresource=exec', '-n', 'team')).toBe('no');
    expect(await can('get', 'configmap/allowed', '-n', 'team')).toBe('yes');
    expect(await can('get', 'configmap/other', '-n', 'team')).toBe('no');
    expect(await can('list', 'configmaps', '-n', 'team')).toBe('no');
    expect(await can('delete', 'nodes')).toBe('yes');
    expect(await can('get', 'deployments.apps', '--subresource=scale', '-n', 'team')).toBe('yes');
    expect(await can('get', 'deployments.apps', '-n', 'team')).toBe('no');
    expect(await can('get', '/metrics')).toBe('yes');
    expect(await can('get', '/logs')).toBe('no');
  });

  it('kubectl auth can-i --list prints the rules that apply in the namespace', async () => {
    const list = await reader.ok(['auth', 'can-i', '--list', '-n', 'team']);
    expect(list).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list).toMatch(/^configmaps\s+\[\]\s+\[allowed\]\s+\[get\]$/m);
    expect(list).toMatch(/^nodes\s+\[\]\s+\[\]\s+\[\*\]$/m);
    expect(list).toMatch(/^\s+\[\/metrics\]\s+\[\]\s+\[get\]$/m);
    expect(list).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
  });

  it('lets the token do what it may and prints the real Forbidden otherwise', async () => {
    await admin.ok(['create', 'configmap', 'allowed', '-n', 'team', '--from-literal=k=v']);
    expect(await reader.ok(['get', 'configmap', 'allowed', '-n', 'team', '-o', 'jsonpath={.data.k}'])).toBe('v');
    expect(await reader.ok(['get', 'pods', '-n', 'team'])).toBe('');
    expect(await reader.ok(['get', '--raw', '/metrics'])).toContain('apiserver_request_total');
    const denied = await reader.run(['get', 'pods', '-n', 'default']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      `Error from server (Forbidden): pods is forbidden: User "${saUser}" cannot list resource "pods" in API group "" in the namespace "default"\n`,
    );
  });

  it('stops honouring the token once its ServiceAccount is gone', async () => {
    await admin.ok(['create', 'serviceaccount', 'short', '-n', 'team']);
    const t = (await admin.ok(['create', 'token', 'short', '-n', 'team'])).trim();
    const short = createKubectl(renderKubeconfig({ server: sim.url, caPem: sim.caPem, token: t, user: 'short' }));
    try {
      const before = await short.run(['auth', 'can-i', 'get', 'pods', '-n', 'team']);
      expect(before.stdout, before.stderr).toBe('no\n');
      await admin.ok(['delete', 'serviceaccount', 'short', '-n', 'team']);
      const r = await short.run(['get', 'pods', '-n', 'team']);
      expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    } finally {
      short.dispose();
    }
  });
});
