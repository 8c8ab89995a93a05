/**
 * OpenAPI v3, only as much as kubectl uses: the discovery document `/openapi/v3` and one
 * document per group version whose PATCH operations carry `x-kubernetes-group-version-kind`
 * and the `fieldValidation` parameter. kubectl apply/create read that to decide that the
 * server validates fields itself (`?fieldValidation=Strict`) instead of downloading a full
 * schema; `/openapi/v2` stays 404, which kubectl tolerates once v3 says so.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, groupVersions, type ResourceDef, resourceDefs } from '../store/resources.js';
import { sendJson } from './http-util.js';

function gvPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

const queryParams = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

function itemPath(def: ResourceDef): string {
  const base = `/${gvPath(def)}`;
  return def.namespaced ? `${base}/namespaces/{namespace}/${def.plural}/{name}` : `${base}/${def.plural}/{name}`;
}

function gvk(def: ResourceDef) {
  return { group: def.group, version: def.version, kind: def.kind };
}

function operation(def: ResourceDef, verb: string) {
  return {
    tags: [apiVersionOf(def)],
    operationId: `${verb}${def.kind}`,
    parameters: queryParams,
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(def)}` } } },
      },
    },
    'x-kubernetes-action': verb,
    'x-kubernetes-group-version-kind': gvk(def),
  };
}

function schemaName(def: ResourceDef): string {
  const group = def.group ? def.group.split('.').reverse().join('.') : 'core';
  return `io.k8s.api.${group.replace(/^k8s\.io\./, '')}.${def.version}.${def.kind}`;
}

function groupVersionDoc(group: string, version: string): unknown {
  const defs = resourceDefs.filter((d) => d.group === group && d.version === version && !d.virtual);
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const def of defs) {
    paths[itemPath(def)] = {
      get: operation(def, 'get'),
      put: operation(def, 'put'),
      patch: operation(def, 'patch'),
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }],
    };
    schemas[schemaName(def)] = {
      type: 'object',
      description: `${def.kind} (simulated cluster: fields are validated by the server)`,
      'x-kubernetes-group-version-kind': [gvk(def)],
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase().slice(0, 128);
}

export function serveOpenApi(_req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of groupVersions()) {
      const p = gvPath(gv);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(groupVersionDoc(gv.group, gv.version))}` };
    }
    sendJson(res, 200, { paths });
    return true;
  }
  const m = /^\/openapi\/v3\/(api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return false;
  const group = m[2] ? '' : m[3]!;
  const version = m[2] ?? m[4]!;
  if (!groupVersions().some((gv) => gv.group === group && gv.version === version)) return false;
  sendJson(res, 200, groupVersionDoc(group, version));
  return true;
}
