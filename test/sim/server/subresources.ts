/**
 * Subresources served over plain HTTP: status (through rest.ts), scale, binding, eviction,
 * namespace finalize, and pods/log (handed to the runtime). exec/attach/portforward are
 * WebSocket upgrades (see upgrade.ts); a plain request for them gets the real 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObj } from '../contracts.js';
import { badRequest, methodNotSupported, notFound, StatusError } from '../store/errors.js';
import { groupResource, type ResourceDef } from '../store/resources.js';
import type { ApiContext } from './context.js';
import { readJson, sendJson } from './http-util.js';
import { serveNodeProxy } from './node-proxy.js';
import { sendObject } from './render.js';
import type { RequestInfo } from './request-info.js';
import { getOrNotFound, patchObject, serveResource, writeUpdate } from './rest.js';
import { tokenRequest } from './reviews.js';

function scaleOf(obj: KubeObj): KubeObj {
  const selector = Object.entries((obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

async function scale(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const obj = getOrNotFound(ctx, def, info);
  if (info.verb === 'get') return sendJson(res, 200, scaleOf(obj));
  const current = scaleOf(obj);
  const next: KubeObj = info.verb === 'update' ? await readJson(req) : await patchObject(req, info, current);
  const replicas = next?.spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) {
    throw new StatusError(
      422,
      'Invalid',
      `Scale.autoscaling "${info.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const rv = next.metadata?.resourceVersion;
  const updated = writeUpdate(
    ctx,
    def,
    { ...info, subresource: '' },
    {
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: rv ?? obj.metadata.resourceVersion },
      spec: { ...obj.spec, replicas },
    },
    obj,
  );
  sendJson(res, 200, scaleOf(updated));
}

function successStatus(): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

/** Assigns a pod to a node, as the scheduler does through pods/binding or the bindings resource. */
export function bindPod(ctx: ApiContext, namespace: string | undefined, podName: string, binding: KubeObj): void {
  const pod = ctx.store.get('pods', namespace, podName);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, podName);
  const node = binding?.target?.name;
  if (!node) throw badRequest('binding target name is required');
  if (pod.spec?.nodeName) {
    throw new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${pod.spec.nodeName}"`,
      { name: podName, kind: 'pods/binding' },
    );
  }
  const conditions = (pod.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  ctx.store.update('pods', { ...pod, spec: { ...pod.spec, nodeName: node }, status: { ...pod.status, conditions } });
}

async function binding(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, info: RequestInfo): Promise<void> {
  bindPod(ctx, info.namespace, info.name, await readJson(req));
  sendJson(res, 201, successStatus());
}

async function eviction(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, info: RequestInfo): Promise<void> {
  await readJson(req);
  if (!ctx.store.get('pods', info.namespace, info.name)) throw notFound({ group: '', resource: 'pods' }, info.name);
  ctx.store.delete('pods', info.namespace, info.name);
  sendJson(res, 201, successStatus());
}

async function finalize(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const body = await readJson(req);
  const old = getOrNotFound(ctx, def, info);
  const next = {
    ...old,
    metadata: { ...old.metadata, resourceVersion: body?.metadata?.resourceVersion ?? old.metadata.resourceVersion },
    spec: { ...old.spec, finalizers: body?.spec?.finalizers ?? [] },
  };
  const updated = ctx.store.update('namespaces', next);
  sendObject(req, res, def, updated);
}

/** Which container a pods/log or pods/exec request means, with the API server's errors. */
export function resolveContainer(pod: KubeObj, requested: string | null): string {
  const containers: string[] = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name);
  const all = [...containers, ...(pod.spec?.initContainers ?? []).map((c: { name: string }) => c.name)];
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.includes(annotated)) return annotated;
  throw badRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`,
  );
}

function logs(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, def: ResourceDef, info: RequestInfo): void {
  const pod = getOrNotFound(ctx, def, info);
  const container = resolveContainer(pod, info.query.get('container'));
  const runtime = ctx.runtime();
  if (!runtime)
    throw new StatusError(503, 'ServiceUnavailable', 'the container runtime is not wired into this simulated cluster');
  runtime.handleLogs(req, res, pod, container, info.query);
}

export async function serveSubresource(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
  def: ResourceDef,
  info: RequestInfo,
): Promise<void> {
  const sub = def.subresources.find((s) => s.name === info.subresource);
  if (!sub) throw notFound(groupResource(def), info.name);
  const key = `${def.plural}/${info.subresource}`;
  switch (info.subresource) {
    case 'status':
      return serveResource(req, res, ctx, { ...def, verbs: ['get', 'update', 'patch'] }, info);
    case 'scale':
      return scale(req, res, ctx, def, info);
    case 'finalize':
      return finalize(req, res, ctx, def, info);
  }
  switch (key) {
    case 'pods/binding':
      return binding(req, res, ctx, info);
    case 'pods/eviction':
      return eviction(req, res, ctx, info);
    case 'pods/log':
      return logs(req, res, ctx, def, info);
    case 'nodes/proxy':
      return serveNodeProxy(res, ctx, info);
    case 'serviceaccounts/token': {
      const body = await readJson(req);
      const sa = ctx.store.get('serviceaccounts', info.namespace, info.name);
      return sendJson(res, 201, tokenRequest(ctx.tokens, sa, info.name, body));
    }
    case 'pods/exec':
    case 'pods/attach':
    case 'pods/portforward':
      throw badRequest('Upgrade request required');
  }
  throw methodNotSupported(groupResource(def), info.verb);
}
