/**
 * pods/exec, pods/attach and pods/portforward arrive as HTTP upgrades. After authentication
 * and authorization they go to the runtime, which plays the kubelet: it speaks WebSocket
 * (v5/v4.channel.k8s.io) and answers kubectl's SPDY fallback attempt the way a kubelet's
 * refusal reaches an SPDY client, so kubectl prints the same final error as on a real cluster.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecRequest } from '../contracts.js';
import { badRequest, notFound, StatusError } from '../store/errors.js';
import type { ApiContext } from './context.js';
import { toStatusError } from './http-util.js';
import { queryFlag, type RequestInfo } from './request-info.js';
import { resolveContainer } from './subresources.js';
import { remoteCommandV5, spdyTunnelling } from './version.js';

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with a plain HTTP error carrying a Status body, then closes. */
export function rejectUpgrade(socket: Duplex, err: unknown): number {
  const status = toStatusError(err);
  const body = JSON.stringify(status.toStatus());
  socket.end(
    `HTTP/1.1 ${status.code} ${reasonPhrases[status.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  return status.code;
}

/** Hands a connect request to the runtime; throws StatusError when the API server itself refuses. */
export function serveUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ctx: ApiContext,
  info: RequestInfo,
): void {
  const pod = ctx.store.get('pods', info.namespace, info.name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, info.name);
  const runtime = ctx.runtime();
  if (!runtime)
    throw new StatusError(503, 'ServiceUnavailable', 'the container runtime is not wired into this simulated cluster');

  if (info.subresource === 'portforward') {
    const ports = info.query
      .getAll('ports')
      .flatMap((p) => p.split(','))
      .map(Number)
      .filter((n) => n > 0);
    runtime.handlePortForward(req, socket, head, pod, ports, { spdyTunnel: spdyTunnelling(ctx.version) });
    return;
  }
  if (!pod.spec?.nodeName) throw badRequest(`pod ${info.name} does not have a host assigned`);
  const container = resolveContainer(pod, info.query.get('container'));
  const exec: ExecRequest = {
    namespace: info.namespace ?? 'default',
    pod: info.name,
    container,
    command: info.subresource === 'exec' ? info.query.getAll('command') : [],
    // PodExecOptions/PodAttachOptions booleans: absent is false, stdout and stderr too.
    stdin: queryFlag(info.query, 'stdin'),
    stdout: queryFlag(info.query, 'stdout'),
    stderr: queryFlag(info.query, 'stderr'),
    tty: queryFlag(info.query, 'tty'),
    v5: remoteCommandV5(ctx.version),
  };
  runtime.handleExec(req, socket, head, exec);
}
