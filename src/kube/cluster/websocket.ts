import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
// Not re-exported by the package index; the deep import is its documented injection point.
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import WebSocket from 'ws';
import { readPrefix } from './body.js';
import { errorFromResponse } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';

/**
 * Where a stream's WebSocket is dialled from: the run's stream agent (transport.ts), which goes
 * through the outbound policy and reuses the run's TLS context and sessions.
 */
export interface StreamDialer {
  agent(): https.Agent;
}

/**
 * client-node's WebSocketHandler with a socket factory that keeps the body of a refused
 * upgrade: without it a 403 from the kubelet and an RBAC 403 both surface as
 * "Unexpected server response: 403", and we could not tell a broken cluster from a missing grant.
 */
function webSocketHandler(kc: KubeConfig, dialer: StreamDialer, sockets: Set<WebSocket>): WebSocketHandler {
  return new WebSocketHandler(kc, (uri, protocols, opts) => {
    // Dialled through the outbound policy; a redirect answer is a refusal, never followed.
    const ws = new WebSocket(uri, protocols, {
      ...opts,
      agent: dialer.agent(),
      followRedirects: false,
      // One frame is never bigger than what we would keep of a whole answer.
      maxPayload: DEFAULT_LIMITS.objectBytes,
    });
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      // Only the start of the body: enough for a Status; the rest is never read.
      void readPrefix(res, DEFAULT_LIMITS.errorBodyBytes).then(
        ({ body, length }) => {
          req.destroy();
          const info = { contentType: res.headers['content-type'], length };
          ws.emit('error', errorFromResponse(res.statusCode ?? 0, body.toString('utf8'), info));
        },
        (err: unknown) => {
          req.destroy();
          ws.emit('error', err);
        },
      );
    });
    return ws;
  });
}

/** The handler rejects with ws's ErrorEvent; unwrap the error we emitted (or the socket's). */
function unwrapSocketError(err: unknown): unknown {
  if (err && typeof err === 'object' && 'error' in err) return (err as { error: unknown }).error ?? err;
  return err;
}

/**
 * Runs one streaming call (exec, port-forward) with its own WebSocketHandler; every socket it
 * opened is terminated when `signal` aborts and when the call ends, however it ends.
 */
export async function withSockets<T>(
  kc: KubeConfig,
  dialer: StreamDialer,
  signal: AbortSignal,
  call: (handler: WebSocketHandler) => Promise<T>,
): Promise<T> {
  const sockets = new Set<WebSocket>();
  const closeAll = () => {
    for (const s of sockets) s.terminate();
  };
  signal.addEventListener('abort', closeAll, { once: true });
  try {
    return await call(webSocketHandler(kc, dialer, sockets));
  } finally {
    signal.removeEventListener('abort', closeAll);
    closeAll();
  }
}

/** Awaits client-node's connect (typed loosely by the library) and surfaces the real error on failure. */
export async function connected(connecting: Promise<unknown>): Promise<WebSocket> {
  try {
    return (await connecting) as WebSocket;
  } catch (err) {
    throw unwrapSocketError(err);
  }
}
