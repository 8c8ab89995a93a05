import { PassThrough, Writable } from 'node:stream';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import type { OutboundPolicy } from '../../net/outbound-policy.js';
import { ClusterError, type HttpAnswer, type PortForwardGetRequest } from '../cluster-access.js';
import { HttpResponseReader } from './http-response.js';
import { connected, withSockets } from './websocket.js';

/**
 * One HTTP/1.1 GET through pods/portforward: the tunnel carries raw TCP bytes, so we write the
 * request ourselves and read the response until it is complete or the stream closes.
 */
export function portForwardGet(
  kc: KubeConfig,
  outbound: OutboundPolicy,
  req: PortForwardGetRequest,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  return withSockets(kc, outbound, signal, async (handler) => {
    const reader = new HttpResponseReader();
    const tunnelErrors: Buffer[] = [];
    let settle: (() => void) | undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
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
    const answer = reader.answer();
    if (answer && (reader.complete() || tunnelErrors.length === 0)) return answer;
    const detail = Buffer.concat(tunnelErrors).toString('utf8').trim() || 'the tunnel closed before an HTTP response';
    throw new ClusterError('server', detail);
  });
}
