/** Writes objects and lists as JSON or, when kubectl asks, as server-side printed Tables. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObj } from '../contracts.js';
import type { ResourceDef } from '../store/resources.js';
import { sendJson } from './http-util.js';
import { type IncludeObject, toTable, wantsTable } from './tables/index.js';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  def: ResourceDef,
  obj: KubeObj,
  status = 200,
): void {
  if (wantsTable(req.headers.accept)) {
    const query = new URL(req.url ?? '/', 'https://x').searchParams;
    sendJson(
      res,
      status,
      toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, includeObjectOf(query)),
    );
    return;
  }
  sendJson(res, status, obj);
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function sendList(
  req: IncomingMessage,
  res: ServerResponse,
  def: ResourceDef,
  items: KubeObj[],
  meta: ListMeta,
): void {
  if (wantsTable(req.headers.accept)) {
    const query = new URL(req.url ?? '/', 'https://x').searchParams;
    sendJson(res, 200, toTable(def, items, { ...meta }, includeObjectOf(query)));
    return;
  }
  // Items of a typed list carry no apiVersion/kind, as the real server serialises them.
  const bare = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  sendJson(res, 200, {
    kind: `${def.kind}List`,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: meta,
    items: bare,
  });
}
