/**
 * SPDY/3.1 frames as moby/spdystream reads and writes them (spdy/types.go, read.go, write.go —
 * the framer under k8s.io/apimachinery/pkg/util/httpstream/spdy that kubectl and the kubelet
 * speak). Only what a kubelet's streaming server meets: SYN_STREAM in, SYN_REPLY out, DATA
 * both ways, RST_STREAM, PING (echoed), GOAWAY, and SETTINGS/WINDOW_UPDATE/HEADERS parsed and
 * ignored (spdystream has no flow control: it never acts on a window).
 *
 * Control frame: 1 control bit, 15-bit version (3), 16-bit type, 8-bit flags, 24-bit length.
 * Data frame: 0 bit, 31-bit stream id, 8-bit flags, 24-bit length. Header blocks stay
 * compressed here; header-block.ts inflates and deflates them.
 */
export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes (spdy/types.go RstStreamStatus). */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'syn-stream'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'syn-reply' | 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'rst'; streamId: number; status: number }
  | { kind: 'ping'; id: number }
  | { kind: 'goaway'; lastGoodStreamId: number; status: number }
  | { kind: 'ignored'; type: number };

export class SpdyProtocolError extends Error {}

const STREAM_ID_MASK = 0x7fffffff;

function parseControl(type: number, flags: number, body: Buffer): Frame {
  const need = (n: number) => {
    if (body.length < n) throw new SpdyProtocolError(`control frame type ${type} shorter than ${n} bytes`);
  };
  switch (type) {
    case FrameType.SynStream:
      // stream id, associated-to stream id, 3-bit priority + 5 unused bits, slot, header block
      need(10);
      return {
        kind: 'syn-stream',
        streamId: body.readUInt32BE(0) & STREAM_ID_MASK,
        flags,
        headerBlock: body.subarray(10),
      };
    case FrameType.SynReply:
    case FrameType.Headers:
      need(4);
      return {
        kind: type === FrameType.SynReply ? 'syn-reply' : 'headers',
        streamId: body.readUInt32BE(0) & STREAM_ID_MASK,
        flags,
        headerBlock: body.subarray(4),
      };
    case FrameType.RstStream:
      need(8);
      return { kind: 'rst', streamId: body.readUInt32BE(0) & STREAM_ID_MASK, status: body.readUInt32BE(4) };
    case FrameType.Ping:
      need(4);
      return { kind: 'ping', id: body.readUInt32BE(0) };
    case FrameType.GoAway:
      need(8);
      return { kind: 'goaway', lastGoodStreamId: body.readUInt32BE(0) & STREAM_ID_MASK, status: body.readUInt32BE(4) };
    default:
      return { kind: 'ignored', type };
  }
}

/** Splits a byte stream into frames; bytes of an incomplete frame wait for the next push. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const flags = this.pending[4]!;
      const body = this.pending.subarray(8, 8 + length);
      const first = this.pending.readUInt32BE(0);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(parseControl(first & 0xffff, flags, Buffer.from(body)));
      } else {
        frames.push({ kind: 'data', streamId: first & STREAM_ID_MASK, flags, data: Buffer.from(body) });
      }
      this.pending = this.pending.subarray(8 + length);
    }
    return frames;
  }
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([head, body]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => {
    b.writeUInt32BE(v >>> 0, i * 4);
  });
  return b;
}

export const encode = {
  synReply: (streamId: number, headerBlock: Buffer, fin = false): Buffer =>
    controlFrame(FrameType.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([u32s(streamId), headerBlock])),
  rst: (streamId: number, status: number): Buffer => controlFrame(FrameType.RstStream, 0, u32s(streamId, status)),
  ping: (id: number): Buffer => controlFrame(FrameType.Ping, 0, u32s(id)),
  goAway: (lastGoodStreamId: number, status = 0): Buffer =>
    controlFrame(FrameType.GoAway, 0, u32s(lastGoodStreamId, status)),
  data(streamId: number, data: Buffer, fin = false): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
    head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    return Buffer.concat([head, data]);
  },
};
