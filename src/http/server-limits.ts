/**
 * Limits of the listening socket itself, before any route runs: how long a client may take to
 * send its headers and its whole request (a slow body holds a connection and its memory), and
 * how many connections one client address may hold open at once.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ServerLimits {
  /** Time to receive the request headers. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (the body-read deadline). */
  requestTimeoutMs: number;
  /** Concurrent connections one client address may hold. */
  maxConnectionsPerClient: number;
}

/** Options for http.createServer: Node checks the timeouts every `connectionsCheckingInterval`. */
export function serverOptions(limits: ServerLimits) {
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
}

/**
 * Destroys a connection past `max` open ones from the same address, before it is read from.
 * Returns the live count per address (for tests).
 */
export function capConnectionsPerClient(server: Server, max: number): Map<string, number> {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const now = (open.get(address) ?? 1) - 1;
      if (now <= 0) open.delete(address);
      else open.set(address, now);
    });
  });
  return open;
}
