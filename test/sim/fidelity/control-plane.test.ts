/**
 * Issue 9 item 8 (API surface): `kube-root-ca.crt` in every namespace, the scheduler's and
 * controller-manager's leader Leases (renewed), and `nodes/NAME/proxy` to the kubelet — driven
 * with kubectl v1.32.
 */
import { describe, expect, it } from 'vitest';
import { hasKubectl } from '../kubectl.test-helper.js';
import { withFault } from '../sim-http.test-helper.js';
import { useSimWithKubectl } from './sim-kubectl.test-helper.js';

describe.runIf(hasKubectl)('what real clients find on a kubeadm control plane', () => {
  const env = useSimWithKubectl();

  it('publishes kube-root-ca.crt with the cluster CA in every namespace, new ones included, and restores it', async () => {
    const ca = ['get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'];
    expect(await env.k.eventually([...ca, '-n', 'kube-system'], (out) => out !== '')).toBe(env.sim.caPem);
    await env.k.ok(['create', 'namespace', 'fresh']);
    expect(await env.k.eventually([...ca, '-n', 'fresh'], (out) => out !== '')).toBe(env.sim.caPem);
    await env.k.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'fresh']);
    expect(await env.k.eventually([...ca, '-n', 'fresh'], (out) => out !== '')).toBe(env.sim.caPem);
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
    const out = await env.k.ok(holder);
    expect(out).toMatch(/^kube-scheduler=controlplane_[0-9a-f-]{36}$/m);
    expect(out).toMatch(/^kube-controller-manager=controlplane_[0-9a-f-]{36}$/m);
    const renew = ['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'jsonpath={.spec.renewTime}'];
    const first = await env.k.ok(renew);
    expect(await env.k.eventually(renew, (t) => t !== first, 20_000)).not.toBe(first);
  });

  it('proxies nodes/NAME/proxy to the kubelet, and reports a dead kubelet as the API server does', async () => {
    expect(await env.k.ok(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz'])).toBe('ok');
    const pods = JSON.parse(await env.k.ok(['get', '--raw', '/api/v1/nodes/worker-1/proxy/pods']));
    expect(pods.kind).toBe('PodList');
    for (const p of pods.items) expect(p.spec.nodeName).toBe('worker-1');
    await withFault(env.sim, 'node-notready:worker-1', async () => {
      const r = await env.k.run(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error trying to reach service: dial tcp [\d.]+:10250: connect: connection refused/);
    });
    await withFault(env.sim, 'rbac-missing:get:nodes/proxy', async () => {
      const r = await env.k.run(['get', '--raw', '/api/v1/nodes/worker-1/proxy/healthz']);
      expect(r.stderr).toContain('cannot get resource "nodes/proxy" in API group "" at the cluster scope');
    });
  });
});
