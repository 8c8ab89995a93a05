/**
 * Issue 9 item 8 (API surface): `kube-root-ca.crt` in every namespace, the scheduler's and
 * controller-manager's leader Leases (renewed), and `nodes/NAME/proxy` to the kubelet — driven
 * with kubectl v1.32.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../index.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';
import { withFault } from '../sim-http.test-helper.js';

describe.runIf(hasKubectl)('what real clients find on a kubeadm control plane', () => {
  let sim: SimCluster;
  let k: Kubectl;
  beforeAll(async () => {
    sim = await startSimCluster();
    k = createKubectl(sim.kubeconfig);
  });
  afterAll(async () => {
    k?.dispose();
    await sim?.stop();
  });

  it('publishes kube-root-ca.crt with the cluster CA in every namespace, new ones included, and restores it', async () => {
    const ca = ['get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'];
    expect(await k.eventually([...ca, '-n', 'kube-system'], (out) => out !== '')).toBe(sim.caPem);
    await k.ok(['create', 'namespace', 'fresh']);
    expect(await k.eventually([...ca, '-n', 'fresh'], (out) => out !== '')).toBe(sim.caPem);
    await k.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'fresh']);
    expect(await k.eventually([...ca, '-n', 'fresh'], (out) => out !== '')).toBe(sim.caPem);
  });

  it('holds and renews the kube-scheduler and kube-controller-manager leader Leases', async () => {
    const holder = [
      'get',
      'lease',
      '-n',
      'kube-system',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.spec.holderIdentity}{"\\n"}{end}',
    ];
    const out = await k.ok(holder);
    expect(out).toMatch(/^kube-scheduler=controlplane_[0-9a-f-]{36}$/m);
    expect(out).toMatch(/^kube-controller-manager=controlplane_[0-9a-f-]{36}$/m);
    const renew = ['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'jsonpath={.spec.renewTime}'];
    const first = await k.ok(renew);
    expect(await k.eventually(renew, (t) => t !== first, 20_000)).not.toBe(first);
  });

  it('proxies nodes/NAME/proxy to the kubelet, and reports a dead kubelet as the API server does', async () => {
    expect(await k.ok(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz'])).toBe('ok');
    const pods = JSON.parse(await k.ok(['get', '--raw', '/api/v1/nodes/worker-1/proxy/pods']));
    expect(pods.kind).toBe('PodList');
    for (const p of pods.items) expect(p.spec.nodeName).toBe('worker-1');
    await withFault(sim, 'node-notready:worker-1', async () => {
      const r = await k.run(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error trying to reach service: dial tcp [\d.]+:10250: connect: connection refused/);
    });
    await withFault(sim, 'rbac-missing:get:nodes/proxy', async () => {
      const r = await k.run(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz']);
      expect(r.stderr).toContain('cannot get resource "nodes/proxy" in API group "" at the cluster scope');
    });
  });
});
