/**
 * pods/exec and pods/attach as the kubelet (through the API server) serves them, over WebSocket
 * (v5/v4 channel frames) or SPDY (one stream per channel, kubectl with
 * KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false or after its WebSocket attempt was refused):
 * stdout/stderr on channels 1/2, stdin from channel 0 (v5: EOF by close signal; SPDY: FIN),
 * resize on 4 ignored, and the final Status on channel 3 before the server closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProcessIo } from '../containers/types.js';
import type { ClusterView, ExecRequest, KubeObj } from '../contracts.js';
import {
  ChannelStream,
  EXEC_PROTOCOLS,
  type ExecChannels,
  isWebSocketUpgrade,
  negotiateProtocol,
} from './channel-stream.js';
import type { ContainerInstance } from './container-instance.js';
import type { ContainerRegistry } from './container-registry.js';
import { kubeletRefuses, refuseUpgrade } from './kubelet-refusal.js';
import { streamDialFailure } from './kubelet-unreachable.js';
import { chooseContainer } from './pod-containers.js';
import { rejectUpgrade } from './raw-http.js';
import { acceptSpdyExec } from './spdy/exec.js';
import { isSpdyUpgrade } from './spdy/upgrade.js';
import {
  type ApiStatus,
  badRequest,
  execBinaryNotFound,
  execNonZeroExit,
  execSuccess,
  internalError,
} from './status.js';
import { noStdin, StdinPipe } from './stdin-pipe.js';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;

/** Checks done before the upgrade; resolves the running instance or answers the error itself. */
async function openStream(
  view: ClusterView,
  registry: ContainerRegistry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObj | undefined,
  exec: ExecRequest,
): Promise<{ stream: ExecChannels; instance: ContainerInstance } | undefined> {
  const refuse = (status: ApiStatus) => {
    rejectUpgrade(socket, status);
    return undefined;
  };
  if (!pod) return refuse(internalError(`unable to upgrade connection: pod does not exist`));
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    return refuse(badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`));
  }
  const chosen = chooseContainer(pod, exec.container);
  if ('error' in chosen) return refuse(chosen.error);
  const unreachable = streamDialFailure(view, pod);
  if (unreachable) return refuse(unreachable);
  if (kubeletRefuses(view)) {
    refuseUpgrade(view, req, socket);
    return undefined;
  }
  const instance = registry.find(pod, chosen.name)?.current;
  if (!instance?.isRunning) {
    return refuse(internalError(`unable to upgrade connection: container not found ("${chosen.name}")`));
  }
  if (isSpdyUpgrade(req)) {
    const stream = await acceptSpdyExec(req, socket, head, exec);
    return stream && { stream, instance };
  }
  if (!isWebSocketUpgrade(req)) {
    return refuse(badRequest('unable to upgrade: missing upgrade headers in request'));
  }
  const supported = exec.v5 === false ? EXEC_PROTOCOLS.filter((p) => p !== 'v5.channel.k8s.io') : EXEC_PROTOCOLS;
  const protocol = negotiateProtocol(req, supported);
  if (protocol === undefined) {
    return refuse(badRequest(`requested protocol(s) are not supported; supports [${supported.join(' ')}]`));
  }
  return { stream: await ChannelStream.accept(req, socket, head, protocol), instance };
}

/** Output writers for a stream: a TTY merges stderr into stdout and turns LF into CRLF, as a terminal's onlcr does. */
function streamIo(stream: ExecChannels, exec: ExecRequest, stdin: StdinPipe | undefined): ProcessIo {
  const tty = (d: string | Buffer) => Buffer.from(d.toString().replace(/\r?\n/g, '\r\n'));
  const stdout = (d: string | Buffer) => exec.stdout && stream.send(STDOUT, exec.tty ? tty(d) : d);
  return {
    stdout,
    stderr: exec.tty ? stdout : (d) => exec.stderr && stream.send(STDERR, d),
    readStdin: stdin ? (complete) => stdin.read(complete) : noStdin,
  };
}

function wireStdin(stream: ExecChannels, pipe: StdinPipe): void {
  stream.onMessage((channel, data) => {
    if (channel === STDIN) pipe.write(data);
  });
  stream.onHalfClose((channel) => {
    if (channel === STDIN) pipe.end();
  });
}

export async function handleExec(
  view: ClusterView,
  registry: ContainerRegistry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObj | undefined,
  exec: ExecRequest,
): Promise<void> {
  const opened = await openStream(view, registry, req, socket, head, pod, exec);
  if (!opened) return;
  const { stream, instance } = opened;
  const stdin = exec.stdin ? new StdinPipe() : undefined;
  if (stdin) wireStdin(stream, stdin);
  const hangup = new AbortController();
  stream.onClose(() => {
    stdin?.end();
    hangup.abort();
  });

  const result = await instance.runner.run(exec.command, streamIo(stream, exec, stdin), hangup.signal);
  if (result.kind === 'not-found') stream.sendStatus(execBinaryNotFound(result.name));
  else if (result.code === 0) stream.sendStatus(execSuccess());
  else stream.sendStatus(execNonZeroExit(exec.command, result.code));
  stream.close();
}

/** attach: the main process's output from now on, and its stdin when the container has one. */
export async function handleAttach(
  view: ClusterView,
  registry: ContainerRegistry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: KubeObj | undefined,
  exec: ExecRequest,
): Promise<void> {
  const opened = await openStream(view, registry, req, socket, head, pod, exec);
  if (!opened) return;
  const { stream, instance } = opened;
  if (exec.stdin && instance.stdin) wireStdin(stream, instance.stdin);
  const io = streamIo(stream, exec, undefined);
  const unfollow = instance.log.follow((entry) => {
    if (entry) (entry.stream === 'stdout' ? io.stdout : io.stderr)(entry.text);
    else {
      stream.sendStatus(execSuccess());
      stream.close();
    }
  });
  stream.onClose(unfollow);
}
