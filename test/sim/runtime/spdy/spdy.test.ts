/**
 * The SPDY server pieces kubectl does not reach on a healthy forward: PING echo, stream
 * rejection (RST_STREAM) for a port-forward stream without a valid port, SYN_REPLY before any
 * DATA, the old-client request id derived from stream ids. kubectl itself drives the rest
 * (test/sim/fidelity/kubectl-transports.test.ts).
 */
import { type Duplex, duplexPair } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ByteTransport } from './connection.js';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { encode, type Frame, FrameReader, RstStatus } from './frames.js';
import { HeaderDeflater, HeaderInflater, type SpdyHeaders } from './header-block.js';
import { servePortForward } from './portforward.js';

/** A client end of a connection: frames in, frames out. */
function fakeClient() {
  const inbound: Frame[] = [];
  const reader = new FrameReader();
  const deflater = new HeaderDeflater();
  const inflater = new HeaderInflater();
  let deliver: (b: Buffer) => void = () => {};
  const waiters: Array<() => void> = [];
  const transport: ByteTransport = {
    write: (bytes) => {
      inbound.push(...reader.push(bytes));
      for (const w of waiters.splice(0)) w();
    },
    end: () => {},
    onData: (h) => {
      deliver = h;
    },
    onClose: () => {},
  };
  const synStream = async (id: number, headers: Record<string, string>, fin = false) => {
    const block = await deflater.write(new Map(Object.entries(headers).map(([k, v]) => [k, [v]])) as SpdyHeaders);
    const body = Buffer.alloc(10);
    body.writeUInt32BE(id, 0);
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8003, 0);
    head.writeUInt16BE(1, 2);
    head.writeUInt32BE(((fin ? 1 : 0) << 24) | (body.length + block.length), 4);
    deliver(Buffer.concat([head, body, block]));
  };
  const until = (match: (f: Frame) => boolean): Promise<Frame> =>
    new Promise((resolve) => {
      const check = () => {
        const found = inbound.find(match);
        if (found) resolve(found);
        else waiters.push(check);
      };
      check();
    });
  return {
    transport,
    inbound,
    synStream,
    send: (b: Buffer) => deliver(b),
    until,
    inflater,
  };
}

const echoServer = (): Duplex => {
  const [client, server] = duplexPair();
  server.on('data', (d: Buffer) => server.write(Buffer.concat([Buffer.from('echo:'), d])));
  server.on('end', () => server.end());
  return client;
};

describe('SPDY/3.1 server side', () => {
  it('primes zlib with the 1423-byte SPDY/3 dictionary (FDICT set in the zlib header)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    const header = zlib.deflateSync(Buffer.from('x'), { dictionary: SPDY3_DICTIONARY });
    expect(header[1]! & 0x20).toBe(0x20);
  });

  it('echoes the peer PING, replies before data, and forwards a stream pair', async () => {
    const c = fakeClient();
    servePortForward(c.transport, () => echoServer(), 'pod-uid');
    c.send(encode.ping(1));
    expect(await c.until((f) => f.kind === 'ping')).toEqual({ kind: 'ping', id: 1 });

    await c.synStream(1, { streamtype: 'error', port: '8080', requestid: '0' });
    await c.synStream(3, { streamtype: 'data', port: '8080', requestid: '0' });
    // One compression context per connection: the replies inflate in order, each empty.
    for (const id of [1, 3]) {
      const reply = await c.until((f) => f.kind === 'syn-reply' && f.streamId === id);
      if (reply.kind !== 'syn-reply') throw new Error('not a reply');
      expect((await c.inflater.read(reply.headerBlock)).size).toBe(0);
    }
    c.send(encode.data(3, Buffer.from('hi'), true));
    const data = await c.until((f) => f.kind === 'data' && f.streamId === 3 && f.data.length > 0);
    expect(data.kind === 'data' && data.data.toString()).toBe('echo:hi');
    const replyAt = c.inbound.findIndex((f) => f.kind === 'syn-reply' && f.streamId === 3);
    expect(replyAt).toBeLessThan(c.inbound.indexOf(data));
    // Pod side closed after our FIN: both streams get FIN.
    await c.until((f) => f.kind === 'data' && f.streamId === 1 && (f.flags & 1) === 1);
    await c.until((f) => f.kind === 'data' && f.streamId === 3 && (f.flags & 1) === 1);
  });

  it('resets a stream without a port and pairs old clients by stream id', async () => {
    const c = fakeClient();
    const dialled: number[] = [];
    servePortForward(
      c.transport,
      (port) => {
        dialled.push(port);
        return 'refused';
      },
      'pod-uid',
    );
    await c.synStream(1, { streamtype: 'data' });
    expect(await c.until((f) => f.kind === 'rst')).toEqual({ kind: 'rst', streamId: 1, status: RstStatus.Cancel });
    // No requestid header: error stream 3 and data stream 5 form pair "3".
    await c.synStream(3, { streamtype: 'error', port: '81' });
    await c.synStream(5, { streamtype: 'data', port: '81' });
    const error = await c.until((f) => f.kind === 'data' && f.streamId === 3 && f.data.length > 0);
    expect(error.kind === 'data' && error.data.toString()).toBe(
      'error forwarding port 81 to pod pod-uid, uid : refused',
    );
    expect(dialled).toEqual([81]);
  });
});
