/**
 * A load balancer in front of the API server that resets connections idle for a while (EKS's NLB
 * after 350 s; scaled down here): a wait whose watch is cut again and again still sees the object
 * appear. Only loopback: the proxy listens on 127.0.0.1 and forwards to the simulated API server.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/sanitize.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';

/** TCP proxy that resets (RST) any connection with no bytes in either direction for `idleMs`. */
async function idleResettingProxy(targetPort: number, idleMs: number) {
  let resets = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        resets++;
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }, idleMs);
    };
    const end = () => {
      clearTimeout(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d) => {
      arm();
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      arm();
      client.write(d);
    });
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
    arm();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    resets: () => resets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('waitFor behind a proxy that resets idle connections', () => {
  let sim: SimCluster | undefined;
  let proxy: Awaited<ReturnType<typeof idleResettingProxy>> | undefined;
  const clients: ClusterAccess[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await proxy?.close();
    await sim?.stop();
  });

  it('re-lists and re-watches through the resets until the object appears', async () => {
    sim = await startSimCluster({ apiOnly: true });
    proxy = await idleResettingProxy(sim.port, 150);
    const { kubeconfig } = sanitizeKubeconfig(sim.kubeconfig);
    const viaProxy = createClusterAccess({ ...kubeconfig, server: `https://127.0.0.1:${proxy.port}` }, undefined, {
      watchBackoff: { initialMs: 5, maxMs: 50, jitter: 0.5 },
    });
    const direct = createClusterAccess(kubeconfig);
    clients.push(viaProxy, direct);
    await direct.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
    const p = proxy;
    const waiting = viaProxy.waitFor(
      'configmaps',
      { namespace: 'watched' },
      (objs) => objs.find((o) => o.metadata?.name === 'late')?.data?.said,
      { timeoutMs: 60_000 },
    );
    // Create the object only once the proxy has cut the idle watch at least three times.
    while (p.resets() < 3) await new Promise((r) => setTimeout(r, 20));
    await direct.create(
      'configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' }, data: { said: 'hello' } },
      'watched',
    );
    await expect(waiting).resolves.toBe('hello');
    expect(p.resets()).toBeGreaterThanOrEqual(3);
  });
});
