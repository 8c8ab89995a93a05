/**
 * get/list/create/update/patch/delete/deletecollection for every stored resource, with
 * label/field selectors, limit/continue pagination and the status subresource's rules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObj } from '../contracts.js';
import { badRequest, methodNotSupported, notFound } from '../store/errors.js';
import { applyPatch, type PatchType, patchTypeOf } from '../store/patch.js';
import { groupResource, type ResourceDef } from '../store/resources.js';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.js';
import { admitCreate } from './admission.js';
import type { ApiContext } from './context.js';
import { remove, removeCollection } from './delete.js';
import { coreToEventsV1, eventsV1ToCore } from './events-convert.js';
import { validateFields } from './field-validation.js';
import { readBody, readJson, sendJson } from './http-util.js';
import { validateListOptions } from './list-options.js';
import { protobufContentType } from './protobuf/index.js';
import { sendList, sendObject } from './render.js';
import type { RequestInfo } from './request-info.js';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from './reviews.js';

/** How a served resource maps onto the store (events.k8s.io events are stored as core events). */
export interface StorageView {
  plural: string;
  fromStored(obj: KubeObj): KubeObj;
  toStored(obj: KubeObj): KubeObj;
}

export function storageView(def: ResourceDef): StorageView {
  if (def.storedAs === 'events') return { plural: 'events', fromStored: coreToEventsV1, toStored: eventsV1ToCore };
  return { plural: def.plural, fromStored: (o) => o, toStored: (o) => o };
}

export function hasStatus(def: ResourceDef): boolean {
  return def.subresources.some((s) => s.name === 'status');
}

export function getOrNotFound(ctx: ApiContext, def: ResourceDef, info: RequestInfo): KubeObj {
  const view = storageView(def);
  const obj = ctx.store.get(view.plural, info.namespace, info.name);
  if (!obj) throw notFound(groupResource(def), info.name);
  return view.fromStored(obj);
}

export function selectObjects(ctx: ApiContext, def: ResourceDef, info: RequestInfo): KubeObj[] {
  validateListOptions(def, info, false);
  const view = storageView(def);
  const labels = parseLabelSelector(info.query.get('labelSelector'));
  const fields = parseFieldSelector(info.query.get('fieldSelector'));
  return ctx.store
    .list(view.plural, info.namespace)
    .map(view.fromStored)
    .filter((o) => labels(o) && fields(o));
}

/** `?dryRun=All` asks for the answer without the write. */
export function dryRunOf(info: RequestInfo): { dryRun: boolean } {
  return { dryRun: info.query.getAll('dryRun').includes('All') };
}

/**
 * Creates through admission and puts its warnings on the response as the API server does
 * (apiserver/pkg/warning: `Warning: 299 - "<text>"`, which kubectl prints as `Warning: <text>`).
 */
function createWithWarnings(
  ctx: ApiContext,
  res: ServerResponse,
  plural: string,
  stored: KubeObj,
  info: RequestInfo,
): KubeObj {
  const warnings: string[] = [];
  const created = ctx.store.create(plural, stored, { ...dryRunOf(info), warnings });
  if (warnings.length > 0) {
    res.setHeader(
      'Warning',
      warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
  }
  return created;
}

/** Waits until a write reached storage (Secrets mirrored to etcd), as a real response does. */
export async function written(ctx: ApiContext): Promise<void> {
  await ctx.storageSettled?.();
}

function objectKey(o: KubeObj): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function list(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, def: ResourceDef, info: RequestInfo): void {
  let items = selectObjects(ctx, def, info);
  const rv = String(ctx.store.resourceVersion());
  const token = info.query.get('continue');
  if (token) {
    let start: string;
    try {
      start = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).start;
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
    }
    items = items.filter((o) => objectKey(o) > start);
  }
  const limit = Number(info.query.get('limit') ?? 0);
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    const last = objectKey(page[page.length - 1]!);
    const next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: last })).toString(
      'base64url',
    );
    sendList(req, res, def, page, { resourceVersion: rv, continue: next, remainingItemCount: items.length - limit });
    return;
  }
  sendList(req, res, def, items, { resourceVersion: rv });
}

// biome-ignore lint/suspicious/noExplicitAny: review bodies are client JSON
const reviews: Record<string, (ctx: ApiContext, body: any) => unknown> = {
  'authorization.k8s.io/selfsubjectaccessreviews': (ctx, body) =>
    selfSubjectAccessReview(ctx.authorizer, ctx.user, body),
  'authorization.k8s.io/selfsubjectrulesreviews': (ctx, body) => selfSubjectRulesReview(ctx.authorizer, ctx.user, body),
  'authentication.k8s.io/selfsubjectreviews': (ctx, body) => selfSubjectReview(ctx.user, body),
};

/** A JSON body can name fields the Go types do not have; a protobuf one cannot. */
const isJsonBody = (req: IncomingMessage) => !(req.headers['content-type'] ?? '').startsWith(protobufContentType);

function checkBodyIdentity(def: ResourceDef, info: RequestInfo, body: KubeObj | undefined): KubeObj {
  if (!body || typeof body !== 'object') throw badRequest('the body of the request was empty');
  body.metadata ??= { name: '' };
  if (def.namespaced) {
    if (body.metadata.namespace && body.metadata.namespace !== info.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    body.metadata.namespace = info.namespace;
  }
  if (info.name && body.metadata.name && body.metadata.name !== info.name) {
    throw badRequest(
      `the name of the object (${body.metadata.name}) does not match the name on the URL (${info.name})`,
    );
  }
  if (info.name) body.metadata.name = info.name;
  return body;
}

async function create(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const body = await readJson(req);
  const review = reviews[`${def.group}/${def.plural}`];
  if (review) {
    sendJson(res, 201, review(ctx, body));
    return;
  }
  if (isJsonBody(req)) validateFields(res, def, info, body, 'CreateOptions');
  const obj = checkBodyIdentity(def, { ...info, name: '' }, body);
  const view = storageView(def);
  const stored = view.toStored(obj);
  await admitCreate(ctx.store, def, stored);
  const created = view.fromStored(createWithWarnings(ctx, res, view.plural, stored, info));
  await written(ctx);
  sendObject(req, res, def, created, 201);
}

/**
 * Writes a new version: through the main resource the status is kept as stored, through
 * `/status` only the status changes — the split controllers and clients rely on.
 */
export function writeUpdate(
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
  next: KubeObj,
  old: KubeObj,
): KubeObj {
  const view = storageView(def);
  let merged = next;
  if (info.subresource === 'status')
    merged = {
      ...old,
      status: next.status,
      metadata: { ...old.metadata, resourceVersion: next.metadata.resourceVersion },
    };
  else if (hasStatus(def) && def.plural !== 'namespaces') merged = { ...next, status: old.status };
  return view.fromStored(ctx.store.update(view.plural, view.toStored(merged), dryRunOf(info)));
}

async function update(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const raw = await readJson(req);
  if (isJsonBody(req) && !info.subresource) validateFields(res, def, info, raw, 'UpdateOptions');
  const body = checkBodyIdentity(def, info, raw);
  const old = getOrNotFound(ctx, def, info);
  const updated = writeUpdate(ctx, def, info, body, old);
  await written(ctx);
  sendObject(req, res, def, updated);
}

export interface PatchRequest {
  type: PatchType;
  // biome-ignore lint/suspicious/noExplicitAny: patch documents are arbitrary JSON
  body: any;
}

export async function readPatch(req: IncomingMessage, info: RequestInfo): Promise<PatchRequest> {
  const type = patchTypeOf(req.headers['content-type']);
  let body: unknown;
  if (type === 'apply') {
    if (!info.query.get('fieldManager'))
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    try {
      body = parseYaml((await readBody(req)).toString('utf8'));
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  } else body = await readJson(req);
  if (body === undefined || body === null) throw badRequest('the body of the request was empty');
  return { type, body };
}

export async function patchObject<T>(req: IncomingMessage, info: RequestInfo, current: T): Promise<T> {
  const { type, body } = await readPatch(req, info);
  return applyPatch(type, current, body);
}

async function patch(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const view = storageView(def);
  const existing = ctx.store.get(view.plural, info.namespace, info.name);
  const request = await readPatch(req, info);
  if (!existing && request.type === 'apply' && !info.subresource) {
    // Server-side apply creates what does not exist yet.
    const stored = view.toStored(checkBodyIdentity(def, info, request.body));
    await admitCreate(ctx.store, def, stored);
    const created = view.fromStored(createWithWarnings(ctx, res, view.plural, stored, info));
    await written(ctx);
    sendObject(req, res, def, created, 201);
    return;
  }
  const old = getOrNotFound(ctx, def, info);
  const patched = applyPatch(request.type, old, request.body);
  // A patch only conflicts when it names a resourceVersion itself.
  const next = checkBodyIdentity(def, info, patched);
  const updated = writeUpdate(ctx, def, info, next, old);
  await written(ctx);
  sendObject(req, res, def, updated);
}

/** Serves one verb on a main resource (not a subresource, not watch). */
export async function serveResource(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  if (!def.verbs.includes(info.verb)) throw methodNotSupported(groupResource(def), info.verb);
  switch (info.verb) {
    case 'get':
      sendObject(req, res, def, getOrNotFound(ctx, def, info));
      return;
    case 'list':
      list(req, res, ctx, def, info);
      return;
    case 'create':
      await create(req, res, ctx, def, info);
      return;
    case 'update':
      await update(req, res, ctx, def, info);
      return;
    case 'patch':
      await patch(req, res, ctx, def, info);
      return;
    case 'delete':
      await remove(req, res, ctx, def, info);
      return;
    case 'deletecollection':
      await removeCollection(req, res, ctx, def, info);
      return;
    default:
      throw methodNotSupported(groupResource(def), info.verb);
  }
}
