/**
 * One run's connections to its API server (transport.ts): capped, kept alive, TLS sessions
 * resumed by new connections (REST and the exec/port-forward WebSockets), and a request that
 * meets a kept-alive connection the server closed while idle is sent again, never reported as
 * "cannot reach the API server".
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import { MAX_SOCKETS_PER_RUN } from '../../src/kube/cluster/transport.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { renderKubeconfig } from '../sim/kubeconfig.js';
import { createCertificateAuthority, issueServingCertificate } from '../sim/tls.js';

let sim: SimCluster | undefined;
let cluster: ClusterAccess | undefined;
let server: Server | undefined;
afterEach(async () => {
  cluster?.close();
  await sim?.stop();
  if (server) await new Promise((r) => server!.close(r));
  sim = undefined;
  cluster = undefined;
  server = undefined;
});

describe('the run transport', () => {
  it('caps its connections and resumes TLS sessions on new ones, WebSockets included', async () => {
    sim = await startSimCluster({ apiOnly: true });
    cluster = createClusterAccess(sanitizeKubeconfig(sim.kubeconfig).kubeconfig);
    const c = cluster;
    await c.list('namespaces');
    await Promise.all(Array.from({ length: 3 * MAX_SOCKETS_PER_RUN }, () => c.list('namespaces')));
    const after = sim.accounting();
    expect(after.tlsConnectionsOpened).toBeGreaterThan(1);
    expect(after.tlsConnectionsOpened).toBeLessThanOrEqual(MAX_SOCKETS_PER_RUN);
    expect(after.tlsSessionsResumed).toBeGreaterThan(0);
    // A WebSocket upgrade is refused here (no runtime), but its handshake still resumes a session.
    sim.resetAccounting();
    await c.exec({ namespace: 'default', pod: 'nope', container: 'c', command: ['true'] }).catch(() => undefined);
    expect(sim.accounting().tlsConnectionsOpened).toBe(1);
    expect(sim.accounting().tlsSessionsResumed).toBe(1);
  });

  it('sends a request again when the server had closed the kept-alive connection it was written to', async () => {
    const ca = await createCertificateAuthority('test');
    const cert = await issueServingCertificate(ca);
    let connections = 0;
    server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.4' }));
      // The next request on this connection finds it closed, as after a server's idle timeout.
      req.socket.prependOnceListener('data', () => req.socket.destroy());
    });
    server.on('secureConnection', (s: Socket) => {
      connections++;
      s.on('error', () => {});
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cluster = createClusterAccess(
      sanitizeKubeconfig(renderKubeconfig({ server: url, caPem: ca.certPem, token: 't', user: 'u' })).kubeconfig,
    );
    for (let i = 0; i < 3; i++) await expect(cluster.version()).resolves.toMatchObject({ gitVersion: 'v1.32.4' });
    expect(connections).toBe(3);
  });
});
