/**
 * pods/portforward, in the three forms a client can ask for:
 * - WebSocket `v4.channel.k8s.io` as @kubernetes/client-node speaks it: per requested port a
 *   data channel (2i) and an error channel (2i+1), each opened by a frame that carries the port
 *   as 2 little-endian bytes; the bytes go to the pod's localhost:port.
 * - SPDY `portforward.k8s.io` (kubectl with KUBECTL_PORT_FORWARD_WEBSOCKETS=false, or its
 *   fallback): stream pairs per connection (spdy/portforward.ts).
 * - The same SPDY tunnelled through a WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io`,
 *   kubectl 1.31+'s default: the API server's PortForwardWebsockets gate (alpha off in 1.30,
 *   beta on from 1.31 — kubernetes/website feature-gates/PortForwardWebsockets.md) lets
 *   apiserver pkg/util/proxy/streamtunnel.go carry it. Where the gate is off the request
 *   reaches the kubelet's WebSocket handler, which refuses the protocol, and kubectl falls back
 *   to SPDY (client-go tools/portforward/fallback_dialer.go, on an upgrade failure).
 */
import type { IncomingMessage } from 'node:http';
import { type Duplex, duplexPair } from 'node:stream';
import type { ClusterView, KubeObj } from '../contracts.js';
import { ChannelStream, isWebSocketUpgrade, negotiateProtocol, PORT_FORWARD_PROTOCOLS } from './channel-stream.js';
import type { ContainerRegistry } from './container-registry.js';
import { kubeletRefuses, refuseUpgrade } from './kubelet-refusal.js';
import { streamDialFailure } from './kubelet-unreachable.js';
import { rejectUpgrade } from './raw-http.js';
import { type PodDialer, servePortForward } from './spdy/portforward.js';
import { acceptSpdyTunnel, isSpdyUpgrade, tunnelledProtocols, upgradeToSpdy } from './spdy/upgrade.js';
import { badRequest } from './status.js';

function portBytes(port: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(port);
  return bytes;
}

/** kubelet portforward.ProtocolV1Name, the only SPDY port-forward protocol. */
const SPDY_PORT_FORWARD_PROTOCOLS = ['portforward.k8s.io'];

/** What the runtime answers when nothing listens on the pod's port (containerd's dial error). */
function refusedText(pod: KubeObj, port: number): string {
  return `failed to connect to localhost:${port} inside namespace "${pod.metadata.uid ?? ''}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
}

function podDialer(registry: ContainerRegistry, pod: KubeObj): PodDialer {
  const namespace = pod.metadata.namespace ?? 'default';
  return (port, requestId) => {
    const handler = registry
      .portsOf(namespace, pod.metadata.name)
      .map((table) => table.tcp.get(port))
      .find((h) => h !== undefined);
    if (!handler) return refusedText(pod, port);
    const [client, server] = duplexPair();
    handler(server, { ip: '127.0.0.1', port: 40000 + (requestId % 20000) });
    return client;
  };
}

export interface PortForwardOptions {
  /** The API server tunnels SPDY through WebSocket (PortForwardWebsockets, on from v1.31). */
  spdyTunnel: boolean;
}

export async function handlePortForward(
  view: ClusterView,
  registry: ContainerRegistry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObj,
  ports: number[],
  options: PortForwardOptions,
): Promise<void> {
  const unreachable = streamDialFailure(view, pod);
  if (unreachable) return rejectUpgrade(socket, unreachable);
  if (kubeletRefuses(view)) return refuseUpgrade(view, req, socket);
  const podName = pod.metadata.uid ?? pod.metadata.name;
  if (isSpdyUpgrade(req)) {
    const upgraded = upgradeToSpdy(req, socket, head, SPDY_PORT_FORWARD_PROTOCOLS);
    if (upgraded) servePortForward(upgraded.transport, podDialer(registry, pod), podName);
    return;
  }
  const tunnelled = tunnelledProtocols(req).find((p) => SPDY_PORT_FORWARD_PROTOCOLS.includes(p));
  if (isWebSocketUpgrade(req) && options.spdyTunnel && tunnelled) {
    const transport = await acceptSpdyTunnel(req, socket, head, tunnelled);
    servePortForward(transport, podDialer(registry, pod), podName);
    return;
  }
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
  const dial = podDialer(registry, pod);
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
    const client = dial(port, index);
    if (typeof client === 'string') {
      stream.send(error, `error forwarding port ${port} to pod ${podName}, uid : ${client}`);
      portDone();
      return;
    }
    podSockets[index] = client;
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
