/**
 * Turns a URL into the attributes authorization and the handlers work with, following
 * apiserver's RequestInfoFactory (verb from method and path, namespace/resource/name/subresource).
 */
import type { IncomingMessage } from 'node:http';
import { queryFlag } from '../query-params.js';

export interface RequestInfo {
  path: string;
  query: URLSearchParams;
  isResourceRequest: boolean;
  verb: string;
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the resource's group version (for discovery of /apis/<g>/<v>). */
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

export function requestInfo(req: IncomingMessage): RequestInfo {
  const url = new URL(req.url ?? '/', 'https://apiserver');
  const path = url.pathname;
  const parts = path
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  const base: RequestInfo = {
    path,
    query: url.searchParams,
    isResourceRequest: false,
    verb: (req.method ?? 'GET').toLowerCase(),
    group: '',
    version: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    base.version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    base.group = parts[1]!;
    base.version = parts[2]!;
    rest = parts.slice(3);
  } else return base;
  base.parts = rest;
  if (rest.length === 0) return base;

  let current = rest;
  if (current[0] === 'namespaces' && current.length > 1) {
    base.namespace = current[1];
    if (current.length > 2 && !namespaceSubresources.has(current[2]!)) current = current.slice(2);
  }
  base.isResourceRequest = true;
  base.resource = current[0] ?? '';
  base.name = current[1] ?? '';
  base.subresource = current[2] ?? '';

  const method = (req.method ?? 'GET').toUpperCase();
  const verbs: Record<string, string> = {
    POST: 'create',
    GET: 'get',
    HEAD: 'get',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  let verb = verbs[method] ?? method.toLowerCase();
  if (verb === 'get' && !base.name) verb = 'list';
  if (verb === 'list' && queryFlag(url.searchParams, 'watch')) verb = 'watch';
  if (verb === 'delete' && !base.name) verb = 'deletecollection';
  // No special case for exec/attach/portforward: RequestInfoFactory maps the method alone, so a
  // WebSocket upgrade (GET) is `get` and SPDY (POST) is `create`
  // (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go); the extra `create`
  // check of v1.35 is the server's (api-server.ts, version.ts).
  base.verb = verb;
  return base;
}

export { queryFlag } from '../query-params.js';
