import { PassThrough, Writable } from 'node:stream';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import { ClusterError, type HttpAnswer, type PortForwardGetRequest } from '../cluster-access.js';
import { tooLarge } from './body.js';
import { boundedMessage } from './errors.js';
import { KeepAliveAnswers } from './keep-alive.js';
import { DEFAULT_LIMITS } from './limits.js';
import { connected, type StreamDialer, withSockets } from './websocket.js';

/**
 * `count` HTTP/1.1 GETs through pods/portforward, one after the other over one forwarded
 * connection: the tunnel carries raw TCP bytes, so we write each request ourselves once the
 * previous answer is complete (HTTP/1.1 keeps the connection open unless a side says
 * `Connection: close`, RFC 9112 §9.3), the last one with `Connection: close`. Should the pod
 * close the connection early (an answer read until close, or its own `Connection: close`), the
 * rest go over a new forward, so what the caller gets does not depend on the server's keep-alive.
 */
export async function portForwardGets(
  kc: KubeConfig,
  dialer: StreamDialer,
  req: PortForwardGetRequest,
  count: number,
  signal: AbortSignal,
): Promise<HttpAnswer[]> {
  const forward: Forward = { kc, dialer, req, signal };
  const answers: HttpAnswer[] = [];
  while (answers.length < count) answers.push(...(await overOneConnection(forward, count - answers.length)));
  return answers;
}

interface Forward {
  kc: KubeConfig;
  dialer: StreamDialer;
  req: PortForwardGetRequest;
  signal: AbortSignal;
}

const request = (req: PortForwardGetRequest, last: boolean) =>
  `GET ${req.path} HTTP/1.1\r\nHost: localhost:${req.port}\r\nUser-Agent: kubeproof\r\n${last ? 'Connection: close\r\n' : ''}\r\n`;

/** Up to `count` answers over one forward (at least one, or it throws). */
function overOneConnection({ kc, dialer, req, signal }: Forward, count: number): Promise<HttpAnswer[]> {
  return withSockets(kc, dialer, signal, async (handler) => {
    const exchange = new KeepAliveAnswers(count);
    let received = 0;
    let overflowed = false;
    const tunnelErrors: Buffer[] = [];
    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const input = new PassThrough();
    const send = () => input.write(request(req, exchange.askingLast));
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (received > DEFAULT_LIMITS.portForwardBytes) {
          overflowed = true;
          settle?.();
          cb();
          return;
        }
        // Each complete answer: ask again on the same connection while it stays open.
        for (let ask = exchange.push(chunk); ask > 0; ask--) send();
        if (exchange.done) settle?.();
        cb();
      },
    });
    const errors = new Writable({
      write(chunk: Buffer, _enc, cb) {
        // Each channel opens with a frame holding only the port number; client-node strips it
        // and hands us an empty chunk, which is not an error.
        if (chunk.length > 0) {
          tunnelErrors.push(chunk);
          settle?.();
        }
        cb();
      },
    });
    // disconnectOnErr=false: we read the error stream ourselves, it names why forwarding failed.
    const pf = new PortForward(kc, false, handler);
    const ws = await connected(pf.portForward(req.namespace, req.pod, [req.port], output, errors, input));
    ws.once('close', () => settle?.());
    send();
    await settled;
    if (signal.aborted) throw signal.reason;
    if (overflowed) throw tooLarge('the answer through port-forward', DEFAULT_LIMITS.portForwardBytes);
    if (exchange.answers.length > 0) return exchange.answers;
    // The connection closed: an answer without a length ends there.
    const answer = exchange.unfinished();
    if (answer && tunnelErrors.length === 0) return [answer];
    const detail =
      boundedMessage(Buffer.concat(tunnelErrors).toString('utf8')) || 'the tunnel closed before an HTTP response';
    throw new ClusterError('server', detail);
  });
}
