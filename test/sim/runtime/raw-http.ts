/** Answers an upgrade request with a plain HTTP error before any protocol switch, as the API server does. */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { reasonPhrase } from '../containers/http/server.js';
import type { ApiStatus } from './status.js';

export function rejectUpgrade(socket: Duplex, status: ApiStatus): void {
  writeRaw(socket, status.code ?? 500, 'application/json', JSON.stringify(status));
}

/** A plain-text refusal, as the kubelet's own response body reaches an SPDY client through the API server's proxy. */
export function rejectUpgradeText(socket: Duplex, code: number, text: string): void {
  writeRaw(socket, code, 'text/plain; charset=utf-8', text);
}

function writeRaw(socket: Duplex, code: number, contentType: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${code} ${reasonPhrase(code)}\r\nCache-Control: no-cache, private\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function writeStatus(res: ServerResponse, status: ApiStatus): void {
  const body = JSON.stringify(status);
  res.writeHead(status.code ?? 500, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.end(body);
}
