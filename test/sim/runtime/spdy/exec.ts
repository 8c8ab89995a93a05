/**
 * exec/attach over SPDY as the kubelet serves them (pkg/kubelet/cri/streaming/remotecommand/
 * httpstream.go): protocols v4/v3/v2/channel.k8s.io negotiated with X-Stream-Protocol-Version;
 * the client opens one stream per channel, named by its `streamType` header — error always,
 * stdin/stdout when asked, stderr when asked and not a TTY, resize for a TTY (v3+). The command
 * starts once every expected stream is there. The final status goes on the error stream: v4
 * writes the Status as JSON (success too), older protocols write the message of a failure only.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecRequest } from '../../contracts.js';
import type { ExecChannels } from '../channel-stream.js';
import type { ApiStatus } from '../status.js';
import { SpdyServerConnection, type SpdyStream } from './connection.js';
import { upgradeToSpdy } from './upgrade.js';

/** kubelet remotecommand.SupportedStreamingProtocols, newest first. */
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const CHANNEL_OF: Record<string, number> = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 };

function expectedStreams(exec: ExecRequest, protocol: string): Set<string> {
  const expected = new Set(['error']);
  if (exec.stdin) expected.add('stdin');
  if (exec.stdout) expected.add('stdout');
  if (exec.stderr && !exec.tty) expected.add('stderr');
  if (exec.tty && (protocol === 'v3.channel.k8s.io' || protocol === 'v4.channel.k8s.io')) expected.add('resize');
  return expected;
}

class SpdyExecChannels implements ExecChannels {
  private readonly messageHandlers: Array<(channel: number, data: Buffer) => void> = [];
  private readonly halfCloseHandlers: Array<(channel: number) => void> = [];

  constructor(
    private readonly conn: SpdyServerConnection,
    private readonly streams: Map<number, SpdyStream>,
    private readonly protocol: string,
  ) {
    for (const [channel, stream] of streams) {
      stream.on('data', (data) => {
        for (const h of this.messageHandlers) h(channel, data);
      });
      stream.on('end', () => {
        for (const h of this.halfCloseHandlers) h(channel);
      });
    }
  }

  send(channel: number, data: string | Buffer): void {
    this.streams.get(channel)?.write(data);
  }

  sendStatus(status: ApiStatus): void {
    const error = this.streams.get(CHANNEL_OF.error!);
    if (this.protocol === 'v4.channel.k8s.io') error?.write(JSON.stringify(status));
    else if (status.status !== 'Success') error?.write(status.message ?? '');
  }

  onMessage(handler: (channel: number, data: Buffer) => void): void {
    this.messageHandlers.push(handler);
  }

  onHalfClose(handler: (channel: number) => void): void {
    this.halfCloseHandlers.push(handler);
  }

  onClose(handler: () => void): void {
    this.conn.onClose(handler);
  }

  close(): void {
    for (const stream of this.streams.values()) stream.end();
    this.conn.close();
  }
}

/**
 * Upgrades to SPDY and resolves once the client has opened every stream the request needs;
 * undefined when the handshake was refused (already answered) or the connection closed first.
 */
export function acceptSpdyExec(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  exec: ExecRequest,
): Promise<ExecChannels | undefined> {
  const upgraded = upgradeToSpdy(req, socket, head, SPDY_EXEC_PROTOCOLS);
  if (!upgraded) return Promise.resolve(undefined);
  const { transport, protocol } = upgraded;
  const expected = expectedStreams(exec, protocol);
  const streams = new Map<number, SpdyStream>();
  return new Promise((resolve) => {
    const conn = new SpdyServerConnection(transport, (stream) => {
      const type = stream.header('streamType') ?? '';
      const channel = CHANNEL_OF[type];
      if (channel === undefined) return `unexpected stream type: "${type}"`;
      streams.set(channel, stream);
      expected.delete(type);
      if (expected.size === 0) queueMicrotask(() => resolve(new SpdyExecChannels(conn, streams, protocol)));
      return undefined;
    });
    conn.onClose(() => resolve(undefined));
  });
}
