import type { IncomingMessage } from 'node:http';
import { ClusterError } from '../cluster-access.js';

/** The error for an answer past its cap; says how much, never what. */
export function tooLarge(what: string, maxBytes: number): ClusterError {
  return new ClusterError(
    'too-large',
    `response too large: ${what} exceeded kubeproof's limit of ${maxBytes} bytes; it was not read further`,
  );
}

/**
 * Reads a response body up to `maxBytes`, counting while it streams: past the cap (or when
 * Content-Length already announces more) the response is destroyed and a `too-large` error thrown,
 * so a 50 MB answer costs kubeproof at most `maxBytes` of memory.
 */
export async function readCapped(res: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> {
  const announced = Number(res.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    res.destroy();
    throw tooLarge(what, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      throw tooLarge(what, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads at most `maxBytes` of a body and discards the rest (an error answer: only its Status
 * matters). `length` is the announced or counted size, for the report.
 */
export async function readPrefix(res: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; length: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buf = chunk as Buffer;
    if (size < maxBytes) chunks.push(buf.subarray(0, maxBytes - size));
    size += buf.length;
    if (size > maxBytes) {
      res.destroy();
      break;
    }
  }
  const announced = Number(res.headers['content-length']);
  return { body: Buffer.concat(chunks), length: Number.isFinite(announced) ? announced : size };
}

/**
 * The lines of a stream (a watch), each at most `maxLineBytes`: a line that grows past it without
 * a newline destroys the stream with a `too-large` error, so an endless line cannot fill memory.
 */
export async function* cappedLines(res: IncomingMessage, maxLineBytes: number, what: string): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  for await (const chunk of res) {
    let buf = chunk as Buffer;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      pending.push(buf.subarray(0, nl));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingSize = 0;
      buf = buf.subarray(nl + 1);
    }
    pendingSize += buf.length;
    if (pendingSize > maxLineBytes) {
      res.destroy();
      throw tooLarge(what, maxLineBytes);
    }
    if (buf.length > 0) pending.push(buf);
  }
  if (pendingSize > 0) yield Buffer.concat(pending).toString('utf8');
}
