/** Sends one HTTP request over an in-memory socket and reads the whole response (busybox wget's way). */
import type { Duplex } from 'node:stream';

export interface ClientResponse {
  /** The status line without CR/LF, e.g. `HTTP/1.1 404 Not Found`. */
  statusLine: string;
  status: number;
  headerLines: string[];
  body: Buffer;
}

/** Resolves with the response, or undefined when the socket closed before a full status line. */
export function exchange(socket: Duplex, request: string, signal: AbortSignal): Promise<ClientResponse | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    const onAbort = () => {
      settled = true;
      socket.destroy();
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isComplete(Buffer.concat(chunks))) {
        finish();
        socket.end();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(request);
  });
}

function splitHead(data: Buffer): { lines: string[]; bodyStart: number } | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  return { lines: data.subarray(0, headEnd).toString('latin1').split('\r\n'), bodyStart: headEnd + 4 };
}

function contentLength(lines: string[]): number | undefined {
  const line = lines.find((l) => /^content-length:/i.test(l));
  return line === undefined ? undefined : Number(line.slice(line.indexOf(':') + 1).trim());
}

function isComplete(data: Buffer): boolean {
  const head = splitHead(data);
  if (!head) return false;
  const length = contentLength(head.lines);
  return length !== undefined && data.length >= head.bodyStart + length;
}

function parseResponse(data: Buffer): ClientResponse | undefined {
  const head = splitHead(data);
  if (!head) return undefined;
  const [statusLine = '', ...headerLines] = head.lines;
  const length = contentLength(head.lines);
  let body = data.subarray(head.bodyStart, length === undefined ? undefined : head.bodyStart + length);
  if (headerLines.some((l) => /^transfer-encoding:\s*chunked/i.test(l))) body = dechunk(body);
  return { statusLine, status: Number(statusLine.split(' ')[1]), headerLines, body: Buffer.from(body) };
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const lineEnd = data.indexOf('\r\n', pos);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(pos, lineEnd).toString(), 16);
    if (!size) break;
    out.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    pos = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}
