/**
 * The Kubernetes WebSocket channel protocols (k8s.io/apimachinery wsstream): every frame starts
 * with a channel number — 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize for exec;
 * 2i data and 2i+1 error per port for port-forward. base64 variants send text frames with an
 * ASCII channel digit. v5 adds the close signal (channel 255) that half-closes a stream.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiStatus } from './status.js';

export const EXEC_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v4.base64.channel.k8s.io',
  'channel.k8s.io',
  'base64.channel.k8s.io',
] as const;

/** The kubelet's port-forward speaks only v4 (and the unnamed binary protocol). */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'] as const;

const CLOSE_SIGNAL = 255;

/**
 * Picks the first protocol in the client's order that we support ('' when the client named none,
 * which wsstream treats as binary channel.k8s.io); undefined when none of the offered ones fits.
 */
export function negotiateProtocol(req: IncomingMessage, supported: readonly string[]): string | undefined {
  const offered = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (offered.length === 0) return '';
  return offered.find((p) => supported.includes(p));
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * A streaming session's channels as exec/attach use them, whatever carries them: WebSocket
 * frames tagged with a channel number (ChannelStream) or one SPDY stream per channel
 * (spdy/exec.ts). Channels: 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize.
 */
export interface ExecChannels {
  send(channel: number, data: string | Buffer): void;
  /** The final status on the error channel, in the negotiated protocol's form. */
  sendStatus(status: ApiStatus): void;
  onMessage(handler: (channel: number, data: Buffer) => void): void;
  /** The peer closed its side of a channel (stdin EOF). */
  onHalfClose(handler: (channel: number) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}

const upgrader = new WebSocketServer({ noServer: true, perMessageDeflate: false });

export class ChannelStream implements ExecChannels {
  private readonly base64: boolean;
  private readonly messageHandlers: Array<(channel: number, data: Buffer) => void> = [];
  private readonly halfCloseHandlers: Array<(channel: number) => void> = [];

  private constructor(
    readonly ws: WebSocket,
    readonly protocol: string,
  ) {
    this.base64 = protocol.includes('base64');
    ws.on('message', (raw: Buffer, isBinary: boolean) => this.receive(raw, isBinary));
  }

  /** Completes the WebSocket handshake with `protocol` already chosen by negotiateProtocol. */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<ChannelStream> {
    return new Promise((resolve) => {
      upgrader.handleUpgrade(req, socket, head, (ws) => resolve(new ChannelStream(ws, protocol)));
    });
  }

  get supportsCloseSignal(): boolean {
    return this.protocol === 'v5.channel.k8s.io';
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  onMessage(handler: (channel: number, data: Buffer) => void): void {
    this.messageHandlers.push(handler);
  }

  /** v5: the peer closed its side of a stream (stdin EOF). */
  onHalfClose(handler: (channel: number) => void): void {
    this.halfCloseHandlers.push(handler);
  }

  onClose(handler: () => void): void {
    this.ws.on('close', handler);
  }

  send(channel: number, data: string | Buffer): void {
    if (!this.isOpen) return;
    const bytes = Buffer.from(data);
    if (this.base64) this.ws.send(String.fromCharCode(48 + channel) + bytes.toString('base64'));
    else this.ws.send(Buffer.concat([Buffer.from([channel]), bytes]));
  }

  /** The error channel's final word: JSON Status for v4/v5, the bare message (failures only) for v1. */
  sendStatus(status: ApiStatus, channel = 3): void {
    const versioned = this.protocol.startsWith('v4.') || this.protocol.startsWith('v5.');
    if (versioned) this.send(channel, JSON.stringify(status));
    else if (status.status !== 'Success') this.send(channel, status.message ?? '');
  }

  close(): void {
    if (this.isOpen) this.ws.close(1000);
  }

  private receive(raw: Buffer, isBinary: boolean): void {
    let channel: number;
    let data: Buffer;
    if (this.base64 && !isBinary) {
      const text = raw.toString();
      channel = text.charCodeAt(0) - 48;
      data = Buffer.from(text.slice(1), 'base64');
    } else {
      if (raw.length === 0) return;
      channel = raw[0]!;
      data = raw.subarray(1);
    }
    if (channel === CLOSE_SIGNAL && this.supportsCloseSignal) {
      for (const handler of this.halfCloseHandlers) handler(data[0] ?? 0);
      return;
    }
    for (const handler of this.messageHandlers) handler(channel, data);
  }
}
