/**
 * A bare HTTP/1.1 upgrade request to a simulated cluster (tests only): what kubectl and
 * client-node send to start exec/attach/portforward, WebSocket (GET) or SPDY (POST), read up to
 * the response head and its body when the server refuses. Status and body only: no streams.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:tls';
import type { SimCluster } from '../index.js';

export interface UpgradeAnswer {
  status: number;
  body: string;
}

export function upgradeRequest(
  sim: Pick<SimCluster, 'url' | 'caPem' | 'token'>,
  path: string,
  transport: 'websocket' | 'spdy',
  token: string = sim.token,
): Promise<UpgradeAnswer> {
  const url = new URL(sim.url);
  const head =
    transport === 'websocket'
      ? [
          `GET ${path} HTTP/1.1`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Protocol: v5.channel.k8s.io',
        ]
      : [
          `POST ${path} HTTP/1.1`,
          'Upgrade: SPDY/3.1',
          'Connection: Upgrade',
          'X-Stream-Protocol-Version: v4.channel.k8s.io',
        ];
  const request = [...head, `Host: ${url.host}`, `Authorization: Bearer ${token}`, '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: sim.caPem, servername: 'localhost' });
    let data = '';
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const split = data.indexOf('\r\n\r\n');
      resolve({ status, body: split >= 0 ? data.slice(split + 4) : '' });
      socket.destroy();
    };
    socket.on('secureConnect', () => socket.write(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      // A 101 has no body to wait for; a refusal ends with Connection: close.
      if (/^HTTP\/1\.1 101/.test(data) && data.includes('\r\n\r\n')) done();
    });
    socket.on('end', done);
    socket.on('error', (e) => (data ? done() : reject(e)));
  });
}
