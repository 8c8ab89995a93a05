/**
 * pods/portforward over WebSocket as the kubelet serves it to @kubernetes/client-node: per
 * requested port a data channel (2i) and an error channel (2i+1), each opened by a frame that
 * carries the port as 2 little-endian bytes; the bytes go to the pod's localhost:port.
 */
import type { IncomingMessage } from 'node:http';
import { type Duplex, duplexPair } from 'node:stream';
import type { ClusterView, KubeObj } from '../contracts.js';
import { ChannelStream, isWebSocketUpgrade, negotiateProtocol, PORT_FORWARD_PROTOCOLS } from './channel-stream.js';
import type { ContainerRegistry } from './container-registry.js';
import { kubeletRefuses, refuseUpgrade } from './kubelet-refusal.js';
import { streamDialFailure } from './kubelet-unreachable.js';
import { rejectUpgrade } from './raw-http.js';
import { badRequest } from './status.js';

function portBytes(port: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(port);
  return bytes;
}

export async function handlePortForward(
  view: ClusterView,
  registry: ContainerRegistry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObj,
  ports: number[],
): Promise<void> {
  const unreachable = streamDialFailure(view, pod);
  if (unreachable) return rejectUpgrade(socket, unreachable);
  if (kubeletRefuses(view)) return refuseUpgrade(view, req, socket);
  if (!isWebSocketUpgrade(req))
    return rejectUpgrade(
      socket,
      badRequest('this simulated kubelet forwards ports over WebSocket only (v4.channel.k8s.io)'),
    );
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    return rejectUpgrade(socket, badRequest('query parameter "port" is required'));
  }
  const protocol = negotiateProtocol(req, PORT_FORWARD_PROTOCOLS);
  if (protocol === undefined) {
    return rejectUpgrade(
      socket,
      badRequest(`requested protocol(s) are not supported; supports [${PORT_FORWARD_PROTOCOLS.join(' ')}]`),
    );
  }
  const stream = await ChannelStream.accept(req, socket, head, protocol);
  const namespace = pod.metadata.namespace ?? 'default';
  const podSockets: Duplex[] = [];
  let open = ports.length;
  const portDone = () => {
    if (--open === 0) stream.close();
  };

  ports.forEach((port, index) => {
    const data = index * 2;
    const error = data + 1;
    stream.send(data, portBytes(port));
    stream.send(error, portBytes(port));
    const handler = registry
      .portsOf(namespace, pod.metadata.name)
      .map((table) => table.tcp.get(port))
      .find((h) => h !== undefined);
    if (!handler) {
      stream.send(
        error,
        `error forwarding port ${port} to pod ${pod.metadata.uid ?? pod.metadata.name}, uid : failed to connect to localhost:${port} inside namespace "${pod.metadata.uid ?? ''}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
      );
      portDone();
      return;
    }
    const [client, server] = duplexPair();
    podSockets[index] = client;
    handler(server, { ip: '127.0.0.1', port: 40000 + index });
    client.on('data', (chunk: Buffer) => stream.send(data, chunk));
    client.on('end', portDone);
    client.on('error', portDone);
  });

  stream.onMessage((channel, bytes) => {
    if (channel % 2 === 0) podSockets[channel / 2]?.write(bytes);
  });
  stream.onClose(() => {
    for (const s of podSockets) s?.destroy();
  });
}
