/**
 * A node request read the way @hono/node-server turns it into a fetch Request (its
 * src/request.ts, newRequest and newHeadersFromIncoming): what a listener answering before hono
 * must see identically, or else leave to hono.
 */
import type { IncomingMessage } from 'node:http';

/** HTTP whitespace a fetch Headers object strips from both ends of a value (Fetch §2.2). */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * The values of the named headers as `Headers.get` gives them: every occurrence in
 * `rawHeaders`, joined by ", " (node's own `req.headers` keeps only the first Authorization,
 * where the Headers object hono reads joins them all). `names` must be lower case.
 */
export function headersOf<N extends string>(req: IncomingMessage, names: readonly N[]): Partial<Record<N, string>> {
  const found: Partial<Record<N, string>> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase() as N;
    if (!names.includes(name)) continue;
    const value = raw[i + 1]!.replace(EDGE_WHITESPACE, '');
    const before = found[name];
    found[name] = before === undefined ? value : `${before}, ${value}`;
  }
  return found;
}

const hosts = new Map<string, boolean>();
const HOSTS_REMEMBERED = 64;

/**
 * Whether @hono/node-server accepts this Host header for a request with an origin-form target:
 * the URL it builds must parse, and its hostname must be the header's (less a port) — else it
 * answers 400 itself. The verdict per header value is remembered (a handful of distinct values).
 */
export function hostAccepted(host: string | undefined): boolean {
  if (!host) return false;
  let ok = hosts.get(host);
  if (ok === undefined) {
    try {
      const url = new URL(`http://${host}/`);
      ok = url.hostname.length === host.length || url.hostname === host.replace(/:\d+$/, '');
    } catch {
      ok = false;
    }
    if (hosts.size >= HOSTS_REMEMBERED) hosts.clear();
    hosts.set(host, ok);
  }
  return ok;
}
