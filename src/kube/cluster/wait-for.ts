import {
  ClusterError,
  type KubeObject,
  type ListResult,
  type ListSelector,
  type ResourceKind,
} from '../cluster-access.js';
import { cappedLines, readPrefix } from './body.js';
import { errorFromResponse, errorFromStatusObject } from './errors.js';
import { collectionPath } from './resources.js';
import type { Transport } from './transport.js';

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
  transport: Transport,
  resource: ResourceKind,
  selector: ListSelector,
  signal: AbortSignal,
): Promise<ListResult> {
  const path = collectionPath(resource, selector.namespace) + selectorQuery(selector);
  const list = await transport.json<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>({
    method: 'GET',
    path,
    signal,
    maxBytes: transport.limits.listBytes,
  });
  return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? '0' };
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** One watch line; a line that is not JSON is described by its size, never quoted (it may be anything). */
function parseWatchEvent(line: string): { type: string; object: KubeObject } {
  try {
    return JSON.parse(line) as { type: string; object: KubeObject };
  } catch {
    throw new ClusterError('server', `a watch event that is not JSON (${Buffer.byteLength(line)} bytes); not shown`);
  }
}

/** Outcome of following one watch stream. */
type WatchEnd<T> = { found: true; value: T } | { found: false };

/**
 * List, then watch from the list's resourceVersion, keeping the current object set; the
 * predicate is asked after the list and after every event. A watch that ends (server-side
 * timeout) or expires (410) is resumed by listing again, as client-go's reflector does.
 */
export async function waitForObjects<T>(
  transport: Transport,
  resource: ResourceKind,
  selector: ListSelector,
  predicate: (objects: readonly KubeObject[]) => T | undefined,
  signal: AbortSignal,
): Promise<T> {
  for (;;) {
    const { items, resourceVersion } = await listObjects(transport, resource, selector, signal);
    const current = new Map(items.map((o) => [keyOf(o), o]));
    const first = predicate([...current.values()]);
    if (first !== undefined) return first;
    const end = await followWatch(transport, resource, selector, resourceVersion, current, predicate, signal);
    if (end.found) return end.value;
  }
}

async function followWatch<T>(
  transport: Transport,
  resource: ResourceKind,
  selector: ListSelector,
  resourceVersion: string,
  current: Map<string, KubeObject>,
  predicate: (objects: readonly KubeObject[]) => T | undefined,
  signal: AbortSignal,
): Promise<WatchEnd<T>> {
  const path =
    collectionPath(resource, selector.namespace) +
    selectorQuery(selector, { watch: 'true', resourceVersion, allowWatchBookmarks: 'true' });
  const res = await transport.open({ method: 'GET', path, signal });
  if (res.statusCode !== 200) {
    const { body, length } = await readPrefix(res, transport.limits.errorBodyBytes);
    throw errorFromResponse(res.statusCode ?? 0, body.toString('utf8'), {
      contentType: res.headers['content-type'],
      length,
    });
  }
  const lines = cappedLines(res, transport.limits.watchEventBytes, `an event of the ${resource} watch`);
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const event = parseWatchEvent(line);
      if (event.type === 'ERROR') {
        // 410 Expired/Gone: our resourceVersion is too old; list again. Anything else is a failure.
        if (event.object?.code === 410) return { found: false };
        throw errorFromStatusObject(event.object as { message?: string; reason?: string; code?: number });
      }
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'DELETED') current.delete(keyOf(event.object));
      else current.set(keyOf(event.object), event.object);
      const value = predicate([...current.values()]);
      if (value !== undefined) return { found: true, value };
    }
    return { found: false };
  } finally {
    await lines.return(undefined);
    res.destroy();
  }
}
