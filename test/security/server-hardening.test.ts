/**
 * The listening socket's own limits, against the real server on loopback: a slow body is cut off
 * at the request deadline (not Node's default 300 s), and one client address cannot hold more
 * than its share of connections. No sleeps: each test waits for the socket to be closed.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';

let stop: (() => Promise<void>) | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await stop?.();
  stop = undefined;
});

async function start(env: Record<string, string>) {
  const server = await startServer(loadConfig({ PORT: '0', KUBEPROOF_DB: ':memory:', ...env }), { writeLog: () => {} });
  stop = server.stop;
  return server.port;
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  return socket;
}

/** Resolves with what the server sent before it closed the connection. */
function untilClosed(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks).toString('latin1'))));
}

describe('server hardening', () => {
  it('closes a request whose body never finishes at KUBEPROOF_REQUEST_TIMEOUT_SECONDS', async () => {
    const port = await start({ KUBEPROOF_REQUEST_TIMEOUT_SECONDS: '1' });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write(
      'POST /v1/audits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"kube',
    );
    const answer = await closed;
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  }, 30_000);

  it('closes headers that never finish', async () => {
    const port = await start({ KUBEPROOF_REQUEST_TIMEOUT_SECONDS: '1' });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await closed;
  }, 30_000);

  it('refuses connections past KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT from one address, and serves the others', async () => {
    const port = await start({ KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT: '3' });
    const held = [await open(port), await open(port), await open(port)];
    const extra = await open(port);
    await untilClosed(extra);
    const answer = untilClosed(held[0]!);
    held[0]!.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1.1 200/);
    // A slot is free again once the server has seen that connection close (it may lag ours).
    let reply = '';
    for (let attempt = 0; attempt < 100 && !reply.startsWith('HTTP/1.1 200'); attempt++) {
      const again = await open(port);
      const closed = untilClosed(again);
      again.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      reply = await closed;
    }
    expect(reply).toMatch(/^HTTP\/1.1 200/);
  }, 30_000);
});
