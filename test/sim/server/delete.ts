/**
 * delete and deletecollection: DeleteOptions (gracePeriodSeconds, preconditions), dry run,
 * and the answer kube-apiserver gives (the object, or a Success Status).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObj } from '../contracts.js';
import { notFound, StatusError } from '../store/errors.js';
import { groupResource, type ResourceDef } from '../store/resources.js';
import type { ApiContext } from './context.js';
import { readJson, sendJson } from './http-util.js';
import { sendList, sendObject } from './render.js';
import type { RequestInfo } from './request-info.js';
import { dryRunOf, selectObjects, storageView, written } from './rest.js';

/** Resources whose DELETE answers with the object rather than a Success Status. */
const returnsDeletedObject = new Set([
  'pods',
  'services',
  'namespaces',
  'nodes',
  'events',
  'configmaps',
  'secrets',
  'serviceaccounts',
  'endpoints',
  'endpointslices',
  'leases',
]);

function successStatus(def: ResourceDef, obj: KubeObj): unknown {
  const details: Record<string, unknown> = { name: obj.metadata.name };
  if (def.group) details.group = def.group;
  details.kind = def.plural;
  details.uid = obj.metadata.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export interface DeleteRequest {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DeleteOptions from the body (kubectl, client-node) or the query (`?gracePeriodSeconds=0`). */
async function readDeleteOptions(req: IncomingMessage, info: RequestInfo): Promise<DeleteRequest> {
  const body = (await readJson(req)) ?? {};
  const fromQuery = info.query.get('gracePeriodSeconds');
  const grace = body.gracePeriodSeconds ?? (fromQuery === null ? undefined : Number(fromQuery));
  return {
    gracePeriodSeconds: typeof grace === 'number' && grace >= 0 ? grace : undefined,
    preconditions: body.preconditions,
  };
}

function checkPreconditions(def: ResourceDef, obj: KubeObj, pre: DeleteRequest['preconditions']): void {
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw new StatusError(
      409,
      'Conflict',
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
      { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural },
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new StatusError(
      409,
      'Conflict',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural },
    );
  }
}

function deleteOne(
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
  target: { namespace?: string; name: string },
  options: DeleteRequest = {},
): KubeObj {
  const view = storageView(def);
  const current = ctx.store.get(view.plural, target.namespace, target.name);
  if (!current) throw notFound(groupResource(def), target.name);
  checkPreconditions(def, current, options.preconditions);
  const gone = ctx.store.delete(view.plural, target.namespace, target.name, {
    ...dryRunOf(info),
    gracePeriodSeconds: options.gracePeriodSeconds,
  });
  if (!gone) throw notFound(groupResource(def), target.name);
  return view.fromStored(gone);
}

export async function remove(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const gone = deleteOne(
    ctx,
    def,
    info,
    { namespace: info.namespace, name: info.name },
    await readDeleteOptions(req, info),
  );
  await written(ctx);
  if (returnsDeletedObject.has(def.plural) || gone.metadata.deletionTimestamp) sendObject(req, res, def, gone);
  else sendJson(res, 200, successStatus(def, gone));
}

export async function removeCollection(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const options = await readDeleteOptions(req, info);
  const removed = selectObjects(ctx, def, info).map((o) => deleteOne(ctx, def, info, o.metadata, options));
  await written(ctx);
  sendList(req, res, def, removed, { resourceVersion: String(ctx.store.resourceVersion()) });
}
