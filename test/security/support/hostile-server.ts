import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueServingCertificate } from '../../sim/tls.js';

export interface HostileServer {
  url: string;
  caData: string;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * An HTTPS server on 127.0.0.1 that answers whatever the test tells it to: the stand-in for an
 * API server an attacker points a kubeconfig at (huge bodies, secrets in error pages, redirects).
 */
export async function startHostileServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HostileServer> {
  const ca = await createCertificateAuthority('hostile');
  const serving = await issueServingCertificate(ca);
  const requests: string[] = [];
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(ca.certPem).toString('base64'),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
