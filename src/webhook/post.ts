import http from 'node:http';
import https from 'node:https';
import { messageOf } from '../kernel/text.js';
import { type OutboundPolicy, OutboundRefusal } from '../net/outbound-policy.js';
import { truncateBytes } from '../untrusted-text.js';

/** What one POST met; the receiver's body is never kept (it may be anything). */
export type PostOutcome =
  | { kind: 'answered'; status: number; retryAfter: string | undefined; location: boolean }
  | { kind: 'unreachable'; error: string }
  | { kind: 'refused'; error: string };

/**
 * One POST of `body` to `url`, the connection opened by the outbound policy (resolved once, the
 * checked address dialled, TLS verified against the URL's name). Redirects are not followed:
 * a 3xx is an answer like any other. Resolves when the status line arrives, or the deadline passes.
 */
export function postOnce(
  url: URL,
  body: string,
  headers: Record<string, string>,
  outbound: OutboundPolicy,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostOutcome> {
  const secure = url.protocol === 'https:';
  const agent = secure ? outbound.agent({ keepAlive: false }) : outbound.plainAgent();
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      agent.destroy();
      resolve(outcome);
    };
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      agent,
      signal,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('response', (res) => {
      const retryAfter = res.headers['retry-after'];
      settle({
        kind: 'answered',
        status: res.statusCode ?? 0,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        location: res.headers.location !== undefined,
      });
      res.destroy();
    });
    req.on('error', (err) => {
      const refusal = err instanceof OutboundRefusal ? err : (err as { cause?: unknown }).cause;
      if (refusal instanceof OutboundRefusal) settle({ kind: 'refused', error: refusal.message });
      else settle({ kind: 'unreachable', error: truncateBytes(messageOf(err), 300) });
    });
    req.end(body);
  });
}
