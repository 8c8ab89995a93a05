/**
 * A minimal HTTP/1.x server over an in-memory socket, answering the way Go's net/http does
 * (header order and wording), for the emulated Go servers (agnhost, coredns health).
 */
import type { Duplex } from 'node:stream';
import type { RemoteAddress } from '../types.js';

export interface HttpRequest {
  method: string;
  /** Request target as sent, e.g. `/echo?msg=hi`. */
  target: string;
  path: string;
  query: URLSearchParams;
  version: string;
  headers: Map<string, string>;
  body: Buffer;
  remote: RemoteAddress;
}

export interface HttpResponse {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Array<[string, string]>;
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

/** Go's http.Date format: `Mon, 02 Jan 2006 15:04:05 GMT`. */
export function httpDate(date = new Date()): string {
  return date.toUTCString();
}

export function formatResponse(response: HttpResponse, closing: boolean, version = 'HTTP/1.1'): Buffer {
  const body = Buffer.from(response.body);
  const lines = [`${version} ${response.status} ${reasonPhrase(response.status)}`];
  for (const [k, v] of response.headers ?? []) lines.push(`${k}: ${v}`);
  lines.push(`Date: ${httpDate()}`);
  lines.push(`Content-Length: ${body.length}`);
  lines.push(`Content-Type: ${response.contentType ?? 'text/plain; charset=utf-8'}`);
  if (closing && version === 'HTTP/1.1') lines.push('Connection: close');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), body]);
}

/** Go's http.NotFound. */
export function notFound(): HttpResponse {
  return { status: 404, body: '404 page not found\n', headers: [['X-Content-Type-Options', 'nosniff']] };
}

/** Serves every request arriving on `socket` (keep-alive aware) with `handler`. */
export function serveHttp(socket: Duplex, remote: RemoteAddress, handler: HttpHandler): void {
  let buffered = Buffer.alloc(0);
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const parsed = parseRequest(buffered, remote);
        if (!parsed) return;
        buffered = buffered.subarray(parsed.consumed);
        const { request } = parsed;
        const connection = request.headers.get('connection')?.toLowerCase();
        const closing = connection === 'close' || (request.version === 'HTTP/1.0' && connection !== 'keep-alive');
        const response = await handler(request);
        if (socket.destroyed) return;
        socket.write(formatResponse(response, closing));
        if (closing) {
          socket.end();
          return;
        }
      }
    } finally {
      busy = false;
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    void pump();
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
}

function parseRequest(data: Buffer, remote: RemoteAddress): { request: HttpRequest; consumed: number } | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [requestLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? 0);
  const bodyStart = headEnd + 4;
  if (data.length < bodyStart + length) return undefined;
  const [method = 'GET', target = '/', version = 'HTTP/1.0'] = requestLine.split(' ');
  const url = new URL(target, 'http://sim.invalid');
  return {
    request: {
      method,
      target,
      path: url.pathname,
      query: url.searchParams,
      version,
      headers,
      body: Buffer.from(data.subarray(bodyStart, bodyStart + length)),
      remote,
    },
    consumed: bodyStart + length,
  };
}
