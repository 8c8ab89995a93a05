import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Router } from './router.js';

/** Answers a request itself and returns true, or returns false having written nothing. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The node request listener of the service: the fast path first (reads of cached bodies,
 * routes/audits/fast-read.ts), then the app through @hono/node-server for everything it leaves.
 * `hostname` is what node-server assumes when a request has no Host header (as serve() passes it).
 */
export function requestListener(app: Router, hostname: string, fastPath?: FastPath): RequestListener {
  const hono = getRequestListener(app.fetch, { hostname });
  if (!fastPath) return hono;
  return (req, res) => {
    if (!fastPath(req, res)) void hono(req, res);
  };
}
