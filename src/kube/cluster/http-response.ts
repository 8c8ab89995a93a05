import type { HttpAnswer } from '../cluster-access.js';

/**
 * Incremental parser for one HTTP/1.x response read from a raw byte stream (the port-forward
 * tunnel). `complete()` is true once Content-Length bytes or the final chunk arrived; without
 * either, the response ends when the connection closes.
 */
export class HttpResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (!this.head) this.head = parseHead(this.buf);
  }

  complete(): boolean {
    if (!this.head) return false;
    const body = this.buf.subarray(this.head.bodyStart);
    const length = this.head.headers['content-length'];
    if (length !== undefined) return body.length >= Number(length);
    if (this.head.headers['transfer-encoding']?.includes('chunked'))
      return /(^|\r\n)0\r\n\r\n$/.test(body.toString('latin1'));
    return false;
  }

  /** Bytes past a complete response: the start of the next one on a kept-alive connection. */
  rest(): Buffer {
    if (!this.head || !this.complete()) return Buffer.alloc(0);
    const body = this.buf.subarray(this.head.bodyStart);
    const length = this.head.headers['content-length'];
    // Chunked: complete only when the body ends with the last chunk, so nothing follows it.
    return length === undefined ? Buffer.alloc(0) : Buffer.from(body.subarray(Number(length)));
  }

  /** The response so far; undefined when not even the status line and headers arrived. */
  answer(): HttpAnswer | undefined {
    if (!this.head) return undefined;
    let body: Buffer = this.buf.subarray(this.head.bodyStart);
    if (this.head.headers['transfer-encoding']?.includes('chunked')) body = dechunk(body);
    const length = this.head.headers['content-length'];
    if (length !== undefined) body = body.subarray(0, Number(length));
    return { status: this.head.status, headers: this.head.headers, body: body.toString('utf8') };
  }
}

function parseHead(buf: Buffer) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers, bodyStart: end + 4 };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
