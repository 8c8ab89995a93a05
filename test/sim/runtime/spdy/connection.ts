/**
 * The server side of an SPDY/3.1 connection as the kubelet runs it (k8s.io/apimachinery
 * pkg/util/httpstream/spdy/connection.go over moby/spdystream connection.go):
 * - the client opens every stream (SYN_STREAM, odd ids); the new-stream handler accepts it
 *   (SYN_REPLY with no headers, not FIN — connection.go newSpdyStream) or rejects it (RST_STREAM);
 * - DATA goes only on replied streams; a FIN half-closes one direction;
 * - a PING from the peer (odd id, the other parity from a server's) is echoed back unchanged,
 *   which is how kubectl's keep-alive pings (every 5 s raw, 10 s tunnelled) are answered;
 * - GOAWAY from the peer stops new streams; SETTINGS, WINDOW_UPDATE and HEADERS change nothing
 *   (spdystream does no flow control).
 * Frames are handled strictly in order; writes too (header compression is asynchronous).
 */
import { EventEmitter } from 'node:events';
import { encode, type Frame, FrameReader, RstStatus, SpdyProtocolError } from './frames.js';
import { HeaderDeflater, HeaderInflater, type SpdyHeaders } from './header-block.js';

/** The bytes under the SPDY connection: a hijacked socket, or a WebSocket tunnel. */
export interface ByteTransport {
  write(bytes: Buffer): void;
  /** Closes the transport after what was written. */
  end(): void;
  onData(handler: (bytes: Buffer) => void): void;
  onClose(handler: () => void): void;
}

const MAX_DATA = 64 * 1024;

export class SpdyStream extends EventEmitter<{ data: [Buffer]; end: []; reset: [] }> {
  private localEnded = false;
  remoteEnded = false;
  closed = false;
  /** Frames written before our SYN_REPLY is queued wait here, so the reply always goes first. */
  held: Buffer[] | undefined = [];

  constructor(
    private readonly conn: SpdyServerConnection,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super();
  }

  /** The first value of a (case-insensitive) header, as http.Header.Get reads it. */
  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  write(data: string | Buffer): void {
    if (this.localEnded || this.closed) return;
    const bytes = Buffer.from(data);
    for (let at = 0; at < bytes.length; at += MAX_DATA)
      this.queue(encode.data(this.id, bytes.subarray(at, at + MAX_DATA)));
  }

  /** Half-closes our direction: an empty DATA frame with FIN (spdystream Stream.Close). */
  end(): void {
    if (this.localEnded || this.closed) return;
    this.localEnded = true;
    this.queue(encode.data(this.id, Buffer.alloc(0), true));
  }

  reset(status: number = RstStatus.Cancel): void {
    if (this.closed) return;
    this.conn.send(encode.rst(this.id, status));
    this.markReset();
  }

  private queue(frame: Buffer): void {
    if (this.held) this.held.push(frame);
    else this.conn.send(frame);
  }

  /** @internal the SYN_REPLY is queued: release what was held behind it */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const frame of held) this.conn.send(frame);
  }

  /** @internal the peer's FIN */
  remoteEnd(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this.emit('end');
  }

  /** @internal RST from the peer, or the connection went away */
  markReset(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('reset');
  }
}

/** Accepts a new stream (returns nothing) or rejects it with a reason (the stream is reset). */
export type NewStreamHandler = (stream: SpdyStream) => string | undefined;

export class SpdyServerConnection {
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly closeHandlers: Array<() => void> = [];
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private goneAway = false;
  private closed = false;

  constructor(
    private readonly transport: ByteTransport,
    private readonly onStream: NewStreamHandler,
  ) {
    transport.onData((bytes) => this.receive(bytes));
    transport.onClose(() => this.teardown());
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Queues bytes behind every earlier write (a SYN_REPLY still being compressed goes first). */
  send(bytes: Buffer): void {
    this.outgoing = this.outgoing.then(() => {
      if (!this.closed) this.transport.write(bytes);
    });
  }

  /** GOAWAY, then the transport closes once everything queued is written (spdystream Close). */
  close(): void {
    if (this.closed) return;
    this.goneAway = true;
    this.send(encode.goAway(this.lastStreamId));
    this.outgoing = this.outgoing.then(() => this.transport.end());
  }

  private receive(bytes: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(bytes);
    } catch {
      this.fail();
      return;
    }
    for (const frame of frames) {
      this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.fail());
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    switch (frame.kind) {
      case 'syn-stream': {
        const headers = await this.inflater.read(frame.headerBlock);
        return this.accept(frame.streamId, frame.flags, headers);
      }
      case 'syn-reply':
      case 'headers':
        // Keep the shared decompression context in step even though a server ignores these.
        await this.inflater.read(frame.headerBlock);
        return;
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream || stream.closed) return;
        if (frame.data.length > 0) stream.emit('data', frame.data);
        if (frame.flags & 0x01) stream.remoteEnd();
        return;
      }
      case 'rst':
        this.streams.get(frame.streamId)?.markReset();
        this.streams.delete(frame.streamId);
        return;
      case 'ping':
        // Echo the peer's pings; a server's own would be even (spdystream handlePingFrame).
        if (frame.id % 2 === 1) this.send(encode.ping(frame.id));
        return;
      case 'goaway':
        this.goneAway = true;
        return;
      case 'ignored':
        return;
    }
  }

  private accept(streamId: number, flags: number, headers: SpdyHeaders): void {
    if (this.goneAway || streamId % 2 === 0 || streamId <= this.lastStreamId) {
      this.send(encode.rst(streamId, RstStatus.ProtocolError));
      return;
    }
    this.lastStreamId = streamId;
    const stream = new SpdyStream(this, streamId, headers);
    this.streams.set(streamId, stream);
    const rejected = this.onStream(stream);
    if (rejected !== undefined) {
      this.streams.delete(streamId);
      stream.reset(RstStatus.Cancel);
      return;
    }
    this.outgoing = this.outgoing.then(async () => {
      const block = await this.deflater.write(new Map());
      if (!this.closed) this.transport.write(encode.synReply(streamId, block));
    });
    stream.release();
    if (flags & 0x01) stream.remoteEnd();
  }

  private fail(): void {
    if (this.closed) return;
    this.send(encode.goAway(this.lastStreamId, 1));
    this.outgoing = this.outgoing.then(() => this.transport.end());
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.markReset();
    this.streams.clear();
    this.inflater.dispose();
    this.deflater.dispose();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}

export { SpdyProtocolError };
