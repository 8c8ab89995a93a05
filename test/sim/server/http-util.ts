/** Small helpers for answering HTTP requests the way kube-apiserver does. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, internalError, isStatusError, StatusError } from '../store/errors.js';
import { decodeProtobufObject, protobufContentType } from './protobuf/index.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/** Any thrown value as a Kubernetes Status; unexpected errors become 500 InternalError. */
export function toStatusError(err: unknown): StatusError {
  if (isStatusError(err)) return err;
  return internalError(err instanceof Error ? err.message : String(err));
}

export function sendError(res: ServerResponse, err: unknown): number {
  const status = toStatusError(err);
  if (!res.headersSent) sendJson(res, status.code, status.toStatus());
  else res.end();
  return status.code;
}

const maxBody = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody)
      throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON until validated
export async function readJson(req: IncomingMessage): Promise<any> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  if ((req.headers['content-type'] ?? '').startsWith(protobufContentType)) return decodeProtobufObject(body);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type JSON): ${(e as Error).message}`);
  }
}
