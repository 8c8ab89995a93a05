import type { IncomingMessage } from 'node:http';
import {
  ClusterError,
  type KubeObject,
  type ListResult,
  type ListSelector,
  type ResourceKind,
  WATCH_INTERRUPTED,
  type WatchHealth,
} from '../cluster-access.js';
import { cappedLines, readPrefix } from './body.js';
import { errorFromResponse, errorFromStatusObject } from './errors.js';
import type { ResponseLimits } from './limits.js';
import { collectionPath } from './resources.js';
import type { RequestSpec } from './transport.js';

/** What waitForObjects needs of the transport (a test substitutes it to cut watches). */
export interface WatchTransport {
  readonly limits: ResponseLimits;
  json<T>(spec: RequestSpec): Promise<T>;
  open(spec: RequestSpec): Promise<IncomingMessage>;
}

/** The query string for a list or watch: label and field selectors plus any extra parameters. */
export function selectorQuery(selector: ListSelector, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (selector.labelSelector) q.set('labelSelector', selector.labelSelector);
  if (selector.fieldSelector) q.set('fieldSelector', selector.fieldSelector);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** One list call: the items and the collection's resourceVersion (to watch from). */
export async function listObjects(
  transport: Pick<WatchTransport, 'json' | 'limits'>,
  resource: ResourceKind,
  selector: ListSelector,
  signal: AbortSignal,
): Promise<ListResult> {
  const paging: Record<string, string> = {
    ...(selector.limit ? { limit: String(selector.limit) } : {}),
    ...(selector.continue ? { continue: selector.continue } : {}),
  };
  const path = collectionPath(resource, selector.namespace) + selectorQuery(selector, paging);
  const list = await transport.json<{
    items?: KubeObject[];
    metadata?: { resourceVersion?: string; continue?: string };
  }>({
    method: 'GET',
    path,
    signal,
    maxBytes: transport.limits.listBytes,
  });
  const more = list.metadata?.continue;
  return {
    items: list.items ?? [],
    resourceVersion: list.metadata?.resourceVersion ?? '0',
    ...(more ? { continue: more } : {}),
  };
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * One watch line; a line that is not JSON is described by its size, never quoted (it may be
 * anything). Kind `server` without a status: a line cut by a broken connection is an interruption.
 */
function parseWatchEvent(line: string): { type: string; object: KubeObject } {
  try {
    return JSON.parse(line) as { type: string; object: KubeObject };
  } catch {
    throw new ClusterError('server', `a watch event that is not JSON (${Buffer.byteLength(line)} bytes); not shown`);
  }
}

/**
 * Back-off between attempts after an interruption. client-go's reflector backs off
 * exponentially from 800 ms to 30 s with jitter (tools/cache/reflector.go, backoffManager);
 * tests shrink it.
 */
export interface WatchBackoff {
  initialMs: number;
  maxMs: number;
  /** Random extra delay, as a fraction of the delay (1.0 = up to double). */
  jitter: number;
}

export const REFLECTOR_BACKOFF: WatchBackoff = { initialMs: 800, maxMs: 30_000, jitter: 1 };

export type { WatchHealth } from '../cluster-access.js';

export const newWatchHealth = (): WatchHealth => ({ interruptions: [], interrupted: false, relists: 0, rewatches: 0 });

export interface WaitOptions {
  backoff?: WatchBackoff;
  health?: WatchHealth;
  /** Start from this state instead of a list (WaitForOptions.from). */
  from?: { resourceVersion: string; objects: KubeObject[] };
}

/** Outcome of following one watch stream. */
type WatchEnd<T> =
  | { kind: 'found'; value: T }
  /** The server ended the stream (its timeout, a proxy closing it): resume from the last RV. */
  | { kind: 'closed'; events: number }
  /** 410 Expired/Gone: our resourceVersion is too old; list again. */
  | { kind: 'expired' }
  /** The connection broke, or the server answered 429/5xx: back off, then resume. */
  | { kind: 'broken'; why: string };

/**
 * Whether a failure of a list or watch attempt is an interruption to ride out (as the reflector
 * does: connection refused/reset, 429, 5xx) rather than an answer that ends the wait (401, 403,
 * 404, 422: the caller's verdict or "could not tell").
 */
function interruption(err: unknown, signal: AbortSignal): string | undefined {
  if (signal.aborted) return undefined;
  if (err instanceof ClusterError) {
    if (err.kind === 'server' && (err.httpStatus === undefined || err.httpStatus === 429 || err.httpStatus >= 500))
      return `HTTP ${err.httpStatus ?? '?'}: ${err.message}`;
    return undefined;
  }
  const e = err as { code?: string; message?: string } | undefined;
  return [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
}

/**
 * List, then watch from the list's resourceVersion, keeping the current object set; the predicate
 * is asked after every list and after every event. Watches end for many reasons — the server's
 * own timeout, a load balancer closing an idle connection, a reset, 410 Gone — and none of them is
 * an answer: like client-go's reflector (tools/cache/reflector.go: watch → watchHandler → on a
 * clean end re-watch from the last synced resourceVersion, on 410 re-list, on a retriable error
 * back off), the wait resumes until the predicate answers or the caller's deadline ends it.
 */
export async function waitForObjects<T>(
  transport: WatchTransport,
  resource: ResourceKind,
  selector: ListSelector,
  predicate: (objects: readonly KubeObject[]) => T | undefined,
  signal: AbortSignal,
  options: WaitOptions = {},
): Promise<T> {
  const backoff = options.backoff ?? REFLECTOR_BACKOFF;
  const health = options.health ?? newWatchHealth();
  let current = new Map((options.from?.objects ?? []).map((o) => [keyOf(o), o]));
  let resourceVersion = options.from?.resourceVersion;
  if (options.from) {
    const first = predicate([...current.values()]);
    if (first !== undefined) return first;
  }
  let delayMs = 0;
  const note = (why: string) => {
    health.interruptions = [...health.interruptions, why].slice(-5);
  };
  const backOff = () => {
    delayMs = delayMs === 0 ? backoff.initialMs : Math.min(backoff.maxMs, delayMs * 2);
  };
  for (;;) {
    if (delayMs > 0) await sleep(delayMs * (1 + Math.random() * backoff.jitter), signal);
    if (resourceVersion === undefined) {
      let listed: ListResult;
      try {
        listed = await listObjects(transport, resource, selector, signal);
      } catch (err) {
        const why = interruption(err, signal);
        if (why === undefined) throw err;
        note(`list: ${why}`);
        health.interrupted = true;
        backOff();
        continue;
      }
      health.relists++;
      health.interrupted = false;
      current = new Map(listed.items.map((o) => [keyOf(o), o]));
      resourceVersion = listed.resourceVersion;
      const first = predicate([...current.values()]);
      if (first !== undefined) return first;
    }
    let end: WatchEnd<T>;
    try {
      end = await followWatch(transport, resource, selector, resourceVersion, current, predicate, signal, {
        opened: () => {
          health.interrupted = false;
        },
        synced: (rv) => {
          resourceVersion = rv;
          delayMs = 0;
        },
      });
    } catch (err) {
      const why = interruption(err, signal);
      if (why === undefined) throw err;
      // From the cut (or the failed attempt) until a watch opens again, nothing the server does
      // reaches us: a deadline in the back-off between is "could not tell", not "did not converge".
      health.interrupted = true;
      end = { kind: 'broken', why };
    }
    switch (end.kind) {
      case 'found':
        return end.value;
      case 'expired':
        note('watch: 410 Gone (resourceVersion too old)');
        resourceVersion = undefined;
        break;
      case 'closed':
        health.rewatches++;
        // A watch that ends at once with nothing in it, again and again, is a proxy refusing
        // long requests: back off rather than spin.
        if (end.events === 0) {
          note('watch: closed by the server or a proxy');
          backOff();
        }
        break;
      case 'broken':
        health.rewatches++;
        note(`watch: ${end.why}`);
        backOff();
        break;
    }
  }
}

interface FollowHooks {
  /** The watch request was answered 200: we have a live view again. */
  opened(): void;
  /** An event (or bookmark) carried this resourceVersion: resume from here. */
  synced(resourceVersion: string): void;
}

async function followWatch<T>(
  transport: WatchTransport,
  resource: ResourceKind,
  selector: ListSelector,
  resourceVersion: string,
  current: Map<string, KubeObject>,
  predicate: (objects: readonly KubeObject[]) => T | undefined,
  signal: AbortSignal,
  hooks: FollowHooks,
): Promise<WatchEnd<T>> {
  // As the reflector: bookmarks keep our resourceVersion fresh, and a server-side timeout of
  // 5–10 min ends the watch before most idle-closing proxies would.
  const timeoutSeconds = String(Math.floor(300 * (1 + Math.random())));
  const path =
    collectionPath(resource, selector.namespace) +
    selectorQuery(selector, { watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds });
  const res = await transport.open({ method: 'GET', path, signal });
  if (res.statusCode !== 200) {
    const { body, length } = await readPrefix(res, transport.limits.errorBodyBytes);
    const err = errorFromResponse(res.statusCode ?? 0, body.toString('utf8'), {
      contentType: res.headers['content-type'],
      length,
    });
    if (err.httpStatus === 410) return { kind: 'expired' };
    throw err;
  }
  hooks.opened();
  const lines = cappedLines(res, transport.limits.watchEventBytes, `an event of the ${resource} watch`);
  let events = 0;
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const event = parseWatchEvent(line);
      events++;
      if (event.type === 'ERROR') {
        const status = event.object as { message?: string; reason?: string; code?: number };
        if (status?.code === 410) return { kind: 'expired' };
        const err = errorFromStatusObject(status);
        const why = interruption(err, signal);
        if (why === undefined) throw err;
        return { kind: 'broken', why };
      }
      const rv = event.object?.metadata?.resourceVersion;
      if (event.type !== 'BOOKMARK') {
        if (event.type === 'DELETED') current.delete(keyOf(event.object));
        else current.set(keyOf(event.object), event.object);
      }
      if (rv) hooks.synced(rv);
      if (event.type === 'BOOKMARK') continue;
      const value = predicate([...current.values()]);
      if (value !== undefined) return { kind: 'found', value };
    }
    // A stream can also end quietly when the socket is reset under it: tell the two apart.
    if (res.errored || (!res.complete && !signal.aborted)) {
      return { kind: 'broken', why: describeSocketError(res.errored) };
    }
    return { kind: 'closed', events };
  } finally {
    await lines.return(undefined);
    res.destroy();
  }
}

function describeSocketError(err: Error | null | undefined): string {
  const e = err as (Error & { code?: string }) | null | undefined;
  return [e?.code, e?.message].filter(Boolean).join(': ') || 'connection reset before the watch ended';
}

/** Resolves after ms, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The error a wait reports when its deadline ended it while the watch was interrupted: the API
 * server stopped answering mid-wait, which says nothing about the objects waited for (never a
 * verdict) and nothing about the kubeconfig's server URL (it answered before).
 */
export function interruptedWaitError(resource: ResourceKind, health: WatchHealth, err: unknown): unknown {
  if (!(err instanceof ClusterError) || err.kind !== 'timeout' || !health.interrupted) return err;
  const last = health.interruptions[health.interruptions.length - 1] ?? 'interrupted';
  return new ClusterError(
    'unreachable',
    `the watch of ${resource} was interrupted and could not be resumed before the deadline (${last})`,
    undefined,
    WATCH_INTERRUPTED,
  );
}
