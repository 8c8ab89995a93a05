import { PassThrough, Writable } from 'node:stream';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import { ClusterError, type HttpAnswer, type PortForwardGetRequest } from '../cluster-access.js';
import { tooLarge } from './body.js';
import { boundedMessage } from './errors.js';
import { HttpResponseReader } from './http-response.js';
import { DEFAULT_LIMITS } from './limits.js';
import { connected, type StreamDialer, withSockets } from './websocket.js';

/**
 * One HTTP/1.1 GET through pods/portforward: the tunnel carries raw TCP bytes, so we write the
 * request ourselves and read the response until it is complete or the stream closes.
 */
export function portForwardGet(
  kc: KubeConfig,
  dialer: StreamDialer,
  req: PortForwardGetRequest,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  return withSockets(kc, dialer, signal, async (handler) => {
    const reader = new HttpResponseReader();
    let received = 0;
    let overflowed = false;
    const tunnelErrors: Buffer[] = [];
    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (received > DEFAULT_LIMITS.portForwardBytes) {
          overflowed = true;
          settle?.();
          cb();
          return;
        }
        reader.push(chunk);
        if (reader.complete()) settle?.();
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
    const input = new PassThrough();
    // disconnectOnErr=false: we read the error stream ourselves, it names why forwarding failed.
    const pf = new PortForward(kc, false, handler);
    const ws = await connected(pf.portForward(req.namespace, req.pod, [req.port], output, errors, input));
    ws.once('close', () => settle?.());
    input.write(
      `GET ${req.path} HTTP/1.1\r\nHost: localhost:${req.port}\r\nUser-Agent: kubeproof\r\nConnection: close\r\n\r\n`,
    );
    await settled;
    if (signal.aborted) throw signal.reason;
    if (overflowed) throw tooLarge('the answer through port-forward', DEFAULT_LIMITS.portForwardBytes);
    const answer = reader.answer();
    if (answer && (reader.complete() || tunnelErrors.length === 0)) return answer;
    const detail =
      boundedMessage(Buffer.concat(tunnelErrors).toString('utf8')) || 'the tunnel closed before an HTTP response';
    throw new ClusterError('server', detail);
  });
}
