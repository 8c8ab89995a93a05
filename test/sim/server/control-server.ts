/**
 * A second HTTPS listener that serves only the control endpoint, so faults can be toggled
 * while `apiserver-unreachable` has closed the API server's port.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { unauthorized } from '../store/errors.js';
import { bearerTokenMatches } from './api-server.js';
import { type ControlApi, controlPrefix, serveControl } from './control.js';
import { sendError } from './http-util.js';

export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(tls: { certPem: string; keyPem: string }, token: string, api: ControlApi) {
    this.server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      const path = new URL(req.url ?? '/', 'https://control').pathname;
      const serve = async () => {
        if (!bearerTokenMatches(req, token)) throw unauthorized();
        if (!path.startsWith(controlPrefix)) throw unauthorized();
        await serveControl(req, res, path, api);
      };
      serve().catch((err) => sendError(res, err));
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('tlsClientError', () => {});
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        resolve(address && typeof address === 'object' ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
