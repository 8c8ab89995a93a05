/**
 * SPDY/3 name/value header blocks: a 32-bit pair count, then per pair a 32-bit name length,
 * the lower-cased name, a 32-bit value length and the value (several values joined by NUL),
 * compressed with zlib primed with the SPDY/3 dictionary. One compression context per
 * direction for the whole connection, each block ending on a sync flush (moby/spdystream
 * spdy/read.go parseHeaderValueBlock, write.go writeHeaderValueBlock + Flush). Node's zlib
 * only flushes asynchronously, so callers must keep blocks in order (connection.ts queues them).
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Lower-cased header name → its values. */
export type SpdyHeaders = Map<string, string[]>;

function flushThrough(stream: zlib.Inflate | zlib.Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const collect = (chunk: Buffer) => out.push(chunk);
    const fail = (err: Error) => {
      stream.off('data', collect);
      reject(new SpdyProtocolError(`header block: ${err.message}`));
    };
    stream.on('data', collect);
    stream.once('error', fail);
    stream.write(input);
    stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      stream.off('data', collect);
      stream.off('error', fail);
      resolve(Buffer.concat(out));
    });
  });
}

export function decodeHeaders(raw: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = new Map();
  let at = 0;
  const u32 = () => {
    if (at + 4 > raw.length) throw new SpdyProtocolError('truncated header block');
    const v = raw.readUInt32BE(at);
    at += 4;
    return v;
  };
  const bytes = (n: number) => {
    if (at + n > raw.length) throw new SpdyProtocolError('truncated header block');
    const s = raw.toString('latin1', at, at + n);
    at += n;
    return s;
  };
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = bytes(u32()).toLowerCase();
    const values = bytes(u32()).split('\0');
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

export function encodeHeaders(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    parts.push(b);
  };
  u32(headers.size);
  for (const [name, values] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'latin1');
    const v = Buffer.from(values.join('\0'), 'latin1');
    u32(n.length);
    parts.push(n);
    u32(v.length);
    parts.push(v);
  }
  return Buffer.concat(parts);
}

/** The peer's compression context (one per connection). */
export class HeaderInflater {
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  async read(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaders(await flushThrough(this.inflate, block));
  }
  dispose(): void {
    this.inflate.destroy();
  }
}

/** Our compression context (one per connection), at spdystream's BestCompression. */
export class HeaderDeflater {
  private readonly deflate = zlib.createDeflate({
    dictionary: SPDY3_DICTIONARY,
    level: zlib.constants.Z_BEST_COMPRESSION,
  });
  write(headers: SpdyHeaders): Promise<Buffer> {
    return flushThrough(this.deflate, encodeHeaders(headers));
  }
  dispose(): void {
    this.deflate.destroy();
  }
}
