/**
 * A load balancer between the clients and the API server that ends idle connections, as the
 * ones in front of managed control planes do (AWS NLB: 350 s idle timeout, then a TCP RST; many
 * proxies: a clean FIN close): a connection that carried no bytes in either direction for
 * `idleMs` is closed (`mode: 'close'`) or reset (`mode: 'reset'`). TLS passes through untouched;
 * a watch that sends no events and no bookmarks is idle, so it ends — the client must re-list and
 * re-watch (client-go's reflector does). Everything stays on 127.0.0.1.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface IdleProxyOptions {
  targetPort: number;
  idleMs: number;
  mode: 'close' | 'reset';
  port?: number;
}

export interface IdleProxy {
  port: number;
  /** How many connections it ended for idleness (for tests). */
  ended(): number;
  close(): Promise<void>;
}

export async function startIdleProxy(options: IdleProxyOptions): Promise<IdleProxy> {
  const sockets = new Set<Socket>();
  let ended = 0;
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: options.targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let timer: NodeJS.Timeout | undefined;
    const endBoth = () => {
      ended++;
      if (options.mode === 'reset') {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.end();
        upstream.end();
      }
    };
    const touch = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(endBoth, options.idleMs);
    };
    touch();
    client.on('data', (chunk) => {
      touch();
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      touch();
      client.write(chunk);
    });
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    // No target (apiserver-unreachable): the balancer has no healthy backend and resets.
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.destroy());
    client.on('close', cleanup);
    upstream.on('close', cleanup);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    ended: () => ended,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
