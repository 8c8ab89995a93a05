/**
 * Switching an HTTP request to SPDY/3.1 the way the kubelet does, and the two byte transports a
 * connection can run over.
 * - Raw: `POST` with `Connection: Upgrade`, `Upgrade: SPDY/3.1` and the client's
 *   `X-Stream-Protocol-Version`s. httpstream.Handshake (apimachinery pkg/util/httpstream/
 *   httpstream.go) picks the first client protocol the server knows, else 403 `unable to upgrade:
 *   unable to negotiate protocol: ...` with X-Accepted-Stream-Protocol-Versions; then the SPDY
 *   ResponseUpgrader (pkg/util/httpstream/spdy/upgrade.go) answers 101 with the same headers.
 * - Tunnelled: a WebSocket whose subprotocol is `SPDY/3.1+<protocol>` carries the SPDY bytes as
 *   binary messages, nothing added (client-go tools/portforward/tunneling_connection.go; the
 *   API server's side is apiserver pkg/util/proxy/streamtunnel.go, which translates the chosen
 *   SPDY protocol back into the WebSocket subprotocol).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { rejectUpgradeText } from '../raw-http.js';
import type { ByteTransport } from './connection.js';

export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

function headerList(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * httpstream.Handshake + UpgradeResponse: answers 101 and returns the raw socket as a transport,
 * or answers the refusal itself and returns undefined.
 */
export function upgradeToSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  serverProtocols: readonly string[],
): { transport: ByteTransport; protocol: string } | undefined {
  const clientProtocols = headerList(req.headers['x-stream-protocol-version']);
  if (clientProtocols.length === 0) {
    rejectUpgradeText(socket, 400, 'unable to upgrade: X-Stream-Protocol-Version is required\n');
    return undefined;
  }
  const protocol = clientProtocols.find((p) => serverProtocols.includes(p));
  if (!protocol) {
    rejectUpgradeText(
      socket,
      403,
      `unable to upgrade: unable to negotiate protocol: client supports [${clientProtocols.join(' ')}], server accepts [${serverProtocols.join(' ')}]\n`,
    );
    return undefined;
  }
  const connection = headerList(req.headers.connection).map((c) => c.toLowerCase());
  if (!connection.includes('upgrade') || !isSpdyUpgrade(req)) {
    rejectUpgradeText(socket, 400, 'unable to upgrade: missing upgrade headers in request\n');
    return undefined;
  }
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const transport: ByteTransport = {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    end: () => socket.end(),
    onData: (handler) => {
      if (head.length > 0) queueMicrotask(() => handler(head));
      socket.on('data', handler);
    },
    onClose: (handler) => {
      socket.once('close', handler);
    },
  };
  return { transport, protocol };
}

/**
 * `SPDY/3.1+…` is not an RFC 6455 token (the `/`), so `ws` would refuse the handshake; gorilla
 * (the API server's library) does not check. The header is taken off the request before `ws`
 * sees it and the chosen subprotocol is written into the 101 response here instead.
 */
const tunnelProtocol = new WeakMap<IncomingMessage, string>();
const tunnelUpgrader = new WebSocketServer({ noServer: true, perMessageDeflate: false });
tunnelUpgrader.on('headers', (headers, req) => {
  const protocol = tunnelProtocol.get(req);
  if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
});

/** The SPDY protocols a WebSocket client asks to tunnel (streamtunnel.go spdyProtocolsFromWebsocketProtocols). */
export function tunnelledProtocols(req: IncomingMessage): string[] {
  return headerList(req.headers['sec-websocket-protocol'])
    .filter((p) => p.startsWith(SPDY_TUNNEL_PREFIX) && p.endsWith('.k8s.io'))
    .map((p) => p.slice(SPDY_TUNNEL_PREFIX.length));
}

/** Completes the WebSocket handshake with subprotocol `SPDY/3.1+<protocol>`; SPDY bytes ride in binary messages. */
export function acceptSpdyTunnel(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string,
): Promise<ByteTransport> {
  tunnelProtocol.set(req, SPDY_TUNNEL_PREFIX + protocol);
  delete req.headers['sec-websocket-protocol'];
  return new Promise((resolve) => {
    tunnelUpgrader.handleUpgrade(req, socket, head, (ws) => {
      resolve({
        write: (bytes) => {
          if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
        },
        end: () => {
          if (ws.readyState === ws.OPEN) ws.close(1000);
        },
        onData: (handler) => {
          ws.on('message', (data: Buffer, isBinary: boolean) => {
            // tunneling_connection.go accepts binary messages only.
            if (isBinary) handler(Buffer.from(data));
            else ws.close(1003);
          });
        },
        onClose: (handler) => {
          ws.once('close', handler);
        },
      });
    });
  });
}
