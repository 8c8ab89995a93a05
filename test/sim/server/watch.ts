/**
 * `?watch=true`: newline-delimited JSON events over a chunked response, as kube-apiserver
 * streams them — initial ADDED events (no resourceVersion, or `0`), resume from a
 * resourceVersion with a 410 Expired ERROR event when it is too old, selector-aware
 * ADDED/DELETED transitions, BOOKMARKs, and timeoutSeconds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObj, WatchEvent } from '../contracts.js';
import { apiVersionOf, type ResourceDef } from '../store/resources.js';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.js';
import type { ApiContext } from './context.js';
import { toStatusError } from './http-util.js';
import { validateListOptions } from './list-options.js';
import { includeObjectOf } from './render.js';
import { queryFlag, type RequestInfo } from './request-info.js';
import { storageView } from './rest.js';
import { toTable, wantsTable } from './tables/index.js';

type EventType = WatchEvent['type'] | 'BOOKMARK' | 'ERROR';

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): void {
  validateListOptions(def, info, true);
  const view = storageView(def);
  const labels = parseLabelSelector(info.query.get('labelSelector'));
  const fields = parseFieldSelector(info.query.get('fieldSelector'));
  const matches = (o: KubeObj) => labels(o) && fields(o);
  const asTable = wantsTable(req.headers.accept);
  const include = includeObjectOf(info.query);
  const bookmarks = queryFlag(info.query, 'allowWatchBookmarks');
  const sendInitial = queryFlag(info.query, 'sendInitialEvents');
  const rvParam = info.query.get('resourceVersion') ?? '';
  ctx.accounting.watchOpened();

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let headersSent = false;
  const write = (type: EventType, object: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const writeObject = (type: WatchEvent['type'], obj: KubeObj) => {
    if (!asTable) return write(type, obj);
    write(type, toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, include, !headersSent));
    headersSent = true;
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(ctx.store.resourceVersion()) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata });
  };

  /** Objects the client currently sees through its selectors, so label changes read as ADDED/DELETED. */
  const visible = new Set<string>();
  const keyOf = (o: KubeObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const onEvent = (event: WatchEvent) => {
    const obj = view.fromStored(event.object);
    const k = keyOf(obj);
    const wasVisible = visible.has(k);
    if (event.type === 'DELETED') {
      if (wasVisible || matches(obj)) writeObject('DELETED', obj);
      visible.delete(k);
      return;
    }
    if (matches(obj)) {
      visible.add(k);
      writeObject(wasVisible ? 'MODIFIED' : 'ADDED', obj);
    } else if (wasVisible) {
      visible.delete(k);
      writeObject('DELETED', obj);
    }
  };

  let stop: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    stop?.();
    stop = undefined;
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  };
  req.on('close', finish);
  res.on('close', finish);

  const fromNow = rvParam === '' || rvParam === '0' || sendInitial;
  const current = ctx.store.list(view.plural, info.namespace).map(view.fromStored).filter(matches);
  for (const o of current) visible.add(keyOf(o));
  try {
    if (fromNow) {
      stop = ctx.store.watch(view.plural, info.namespace, onEvent);
      for (const o of current) writeObject('ADDED', o);
      if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      // Membership before the resume point is unknown: start empty and let replayed events fill it.
      visible.clear();
      for (const o of current) if (Number(o.metadata.resourceVersion) <= Number(rvParam)) visible.add(keyOf(o));
      stop = ctx.store.watch(view.plural, info.namespace, onEvent, Number(rvParam));
    }
  } catch (err) {
    write('ERROR', toStatusError(err).toStatus());
    finish();
    return;
  }

  if (bookmarks && ctx.bookmarkIntervalMs > 0) {
    const tick = () => {
      bookmark();
      timers.push(setTimeout(tick, ctx.bookmarkIntervalMs).unref());
    };
    timers.push(setTimeout(tick, ctx.bookmarkIntervalMs).unref());
  }
  const timeoutSeconds = Number(info.query.get('timeoutSeconds') ?? 0);
  const timeoutMs = timeoutSeconds > 0 ? timeoutSeconds * 1000 : ctx.defaultWatchTimeoutMs;
  timers.push(setTimeout(finish, timeoutMs).unref());
}
