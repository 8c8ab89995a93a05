/**
 * The kubelet's port-forward server over SPDY (pkg/kubelet/cri/streaming/portforward/
 * httpstream.go): every forwarded connection is a pair of client-opened streams sharing a
 * `requestID` header — `streamType: error` and `streamType: data`, each with a `port` header.
 * A stream without a valid port (1–65535) or stream type is rejected (reset). When both
 * streams of a pair are there, the data stream is joined to the pod's localhost:port; a
 * failure is written as text on the error stream. When the pod side is done, both streams are
 * closed (the handler's deferred Close on data and error streams).
 */
import type { Duplex } from 'node:stream';
import { type ByteTransport, SpdyServerConnection, type SpdyStream } from './connection.js';

/** Connects to the pod's localhost:port: a socket, or the runtime's error text. */
export type PodDialer = (port: number, requestId: number) => Duplex | string;

interface StreamPair {
  data?: SpdyStream;
  error?: SpdyStream;
}

function validate(stream: SpdyStream): string | undefined {
  const port = stream.header('port');
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `unable to parse "${port}" as a port`;
  if (Number(port) < 1) return `port "${port}" must be > 0`;
  const type = stream.header('streamType');
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
}

/**
 * A request id for a stream. Old clients sent none; the kubelet then derives one from the
 * stream id (error stream: its id, data stream: its id − 2).
 */
function requestIdOf(stream: SpdyStream): string {
  const id = stream.header('requestID');
  if (id) return id;
  return String(stream.header('streamType') === 'error' ? stream.id : stream.id - 2);
}

function forward(pair: Required<StreamPair>, requestId: string, dial: PodDialer, podName: string): void {
  const { data, error } = pair;
  const port = Number(data.header('port'));
  const done = () => {
    data.end();
    error.end();
  };
  const target = dial(port, Number(requestId) || 0);
  if (typeof target === 'string') {
    error.write(`error forwarding port ${port} to pod ${podName}, uid : ${target}`);
    done();
    return;
  }
  data.on('data', (chunk) => target.write(chunk));
  data.on('end', () => target.end());
  data.on('reset', () => target.destroy());
  target.on('data', (chunk: Buffer) => data.write(chunk));
  target.once('end', done);
  target.once('error', done);
}

/** Serves port-forward stream pairs over `transport` until it closes. */
export function servePortForward(transport: ByteTransport, dial: PodDialer, podName: string): SpdyServerConnection {
  const pairs = new Map<string, StreamPair>();
  return new SpdyServerConnection(transport, (stream) => {
    const invalid = validate(stream);
    if (invalid) return invalid;
    const requestId = requestIdOf(stream);
    const pair = pairs.get(requestId) ?? {};
    pairs.set(requestId, pair);
    const type = stream.header('streamType') as 'data' | 'error';
    if (pair[type]) {
      pair.error?.write(`error processing stream for request ${requestId}: ${type} stream already assigned`);
      return undefined;
    }
    pair[type] = stream;
    if (pair.data && pair.error) {
      pairs.delete(requestId);
      const complete = { data: pair.data, error: pair.error };
      // After this stream's SYN_REPLY is queued (the kubelet forwards in a new goroutine).
      queueMicrotask(() => forward(complete, requestId, dial, podName));
    }
    return undefined;
  });
}
