/**
 * Issue 9 item 1: exec/attach/portforward are authorized as the real API server does per
 * version. WebSocket upgrades (GET) are `get`, SPDY (POST) `create` (RequestInfoFactory maps the
 * method); from v1.35 a WebSocket upgrade must also be allowed to `create`
 * (AuthorizePodWebsocketUpgradeCreatePermission). Driven with raw upgrades, the real kubectl and
 * kubeproof's own client (@kubernetes/client-node's WebSocket exec).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../../src/kube/cluster/index.js';
import { sanitizeKubeconfig } from '../../../src/kube/kubeconfig/index.js';
import { type SimCluster, startSimCluster } from '../index.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';
import { parseCliOptions } from '../options.js';
import { withFault } from '../sim-http.test-helper.js';
import { upgradeRequest } from './upgrade.test-helper.js';

const execPath = (pod: string) => `/api/v1/namespaces/default/pods/${pod}/exec?command=hostname&stdout=true`;

describe('streaming authorization by method and version (API only)', () => {
  const sims: SimCluster[] = [];
  afterAll(async () => {
    for (const s of sims) await s.stop();
  });
  const start = async (serverVersion?: string) => {
    const s = await startSimCluster({ apiOnly: true, serverVersion });
    sims.push(s);
    return s;
  };

  it('answers /version with the selected version, v1.32.4 by default', async () => {
    const [dflt, v135] = await Promise.all([start(), start('1.35')]);
    const body = async (s: SimCluster) => (await fetchJson(s, '/version')) as { gitVersion: string; minor: string };
    expect((await body(dflt)).gitVersion).toBe('v1.32.4');
    expect(await body(v135)).toMatchObject({ major: '1', minor: '35', gitVersion: 'v1.35.0' });
    expect(parseCliOptions(['--server-version', 'v1.35.2']).cluster.serverVersion).toBe('v1.35.2');
    expect(() => parseCliOptions(['--server-version', 'latest'])).toThrow(/not a Kubernetes version/);
  });

  // Authorization comes before the pod lookup: allowed → 404 (no such pod), denied → 403.
  it('v1.32: a WebSocket exec needs get, an SPDY exec needs create', async () => {
    const sim = await start();
    await withFault(sim, 'rbac-missing:create:pods/exec', async () => {
      expect((await upgradeRequest(sim, execPath('none'), 'websocket')).status).toBe(404);
      const spdy = await upgradeRequest(sim, execPath('none'), 'spdy');
      expect(spdy.status, spdy.body).toBe(403);
      expect(JSON.parse(spdy.body).message).toBe(
        'pods "none" is forbidden: User "kubeproof" cannot create resource "pods/exec" in API group "" in the namespace "default"',
      );
    });
    await withFault(sim, 'rbac-missing:get:pods/exec', async () => {
      const ws = await upgradeRequest(sim, execPath('none'), 'websocket');
      expect(ws.status, ws.body).toBe(403);
      expect(JSON.parse(ws.body).message).toContain('cannot get resource "pods/exec"');
      expect((await upgradeRequest(sim, execPath('none'), 'spdy')).status).toBe(404);
    });
    await withFault(sim, 'rbac-missing:get:pods/portforward', async () => {
      const pf = await upgradeRequest(sim, '/api/v1/namespaces/default/pods/none/portforward?ports=80', 'websocket');
      expect(pf.status, pf.body).toBe(403);
      expect(JSON.parse(pf.body).message).toContain('cannot get resource "pods/portforward"');
    });
  });

  it('v1.35: a WebSocket exec, attach or portforward also needs create', async () => {
    const sim = await start('v1.35.0');
    await withFault(sim, 'rbac-missing:create:pods/exec', async () => {
      const ws = await upgradeRequest(sim, execPath('none'), 'websocket');
      expect(ws.status, ws.body).toBe(403);
      expect(JSON.parse(ws.body).message).toContain('cannot create resource "pods/exec"');
    });
    for (const sub of ['attach', 'portforward']) {
      await withFault(sim, `rbac-missing:create:pods/${sub}`, async () => {
        const ws = await upgradeRequest(
          sim,
          `/api/v1/namespaces/default/pods/none/${sub}?ports=80&stdout=1`,
          'websocket',
        );
        expect(ws.status, ws.body).toBe(403);
      });
    }
    await withFault(sim, 'rbac-missing:get:pods/exec', async () => {
      expect((await upgradeRequest(sim, execPath('none'), 'websocket')).status).toBe(403);
    });
    expect((await upgradeRequest(sim, execPath('none'), 'websocket')).status).toBe(404);
  });
});

async function fetchJson(sim: SimCluster, path: string): Promise<unknown> {
  const { rawRequest } = await import('../sim-http.test-helper.js');
  return (await rawRequest(sim, 'GET', path)).json();
}

describe.skipIf(!hasKubectl)('kubectl and client-node exec per version', () => {
  let v132: SimCluster;
  let v135: SimCluster;
  let k132: Kubectl;
  let k135: Kubectl;
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bb\n  namespace: default\nspec:\n  containers:\n  - name: bb\n    image: busybox:1.36\n    command: ["sleep", "3600"]\n';

  beforeAll(async () => {
    [v132, v135] = await Promise.all([startSimCluster(), startSimCluster({ serverVersion: '1.35' })]);
    k132 = createKubectl(v132.kubeconfig);
    k135 = createKubectl(v135.kubeconfig);
    for (const k of [k132, k135]) {
      await k.ok(['apply', '-f', '-'], pod);
      await k.ok(['wait', '--for=condition=Ready', 'pod/bb', '--timeout=60s']);
    }
  });
  afterAll(async () => {
    k132?.dispose();
    k135?.dispose();
    await v132?.stop();
    await v135?.stop();
  });

  it('kubectl version reports the selected server version', async () => {
    const v = JSON.parse(await k135.ok(['version', '-o', 'json']));
    expect(v.serverVersion.gitVersion).toBe('v1.35.0');
  });

  it('v1.32: kubectl exec (WebSocket) works with get alone; v1.35 refuses it without create', async () => {
    await withFault(v132, 'rbac-missing:create:pods/exec', async () => {
      expect(await k132.ok(['exec', 'bb', '--', 'hostname'])).toBe('bb\n');
    });
    await withFault(v135, 'rbac-missing:create:pods/exec', async () => {
      const r = await k135.run(['exec', 'bb', '--', 'hostname']);
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stdout).toBe('');
    });
    expect(await k135.ok(['exec', 'bb', '--', 'hostname'])).toBe('bb\n');
  });

  it("v1.32: kubeproof's WebSocket exec needs get, not create", async () => {
    const cluster = createClusterAccess(sanitizeKubeconfig(v132.kubeconfig).kubeconfig);
    await withFault(v132, 'rbac-missing:create:pods/exec', async () => {
      const out = await cluster.exec({ namespace: 'default', pod: 'bb', container: 'bb', command: ['hostname'] });
      expect(out.stdout).toBe('bb\n');
    });
    await withFault(v132, 'rbac-missing:get:pods/exec', async () => {
      await expect(
        cluster.exec({ namespace: 'default', pod: 'bb', container: 'bb', command: ['hostname'] }),
      ).rejects.toThrow(/403|forbidden/i);
    });
  });
});
