/**
 * OpenAPI as kubectl and other clients read it: the discovery document `/openapi/v3` and one
 * document per group version whose PATCH operations carry `x-kubernetes-group-version-kind`
 * and the `fieldValidation` parameter (kubectl apply/create then leave field validation to the
 * server), with the kinds' schemas (openapi-schemas.ts) that `kubectl explain` walks. `/openapi/v2`
 * is the same content as one Swagger 2.0 document: JSON, or protobuf for kubectl's v2 fetch
 * (openapi-v2-proto.ts); an Accept naming neither gets the server's 406.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, groupVersions, type ResourceDef, resourceDefs } from '../store/resources.js';
import { sendJson } from './http-util.js';
import { genericKindSchema, type JsonSchema, kindSchemas, sharedSchemas } from './openapi-schemas.js';
import { acceptsOpenApiV2Protobuf, encodeOpenApiV2, OPENAPI_V2_PROTOBUF, toSwagger2 } from './openapi-v2-proto.js';

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
      ...(kindSchemas[`${apiVersionOf(def)}/${def.kind}`] ?? genericKindSchema(def.kind)),
      'x-kubernetes-group-version-kind': [gvk(def)],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas: { ...sharedSchemas, ...schemas } },
  };
}

interface SwaggerDoc {
  swagger: string;
  info: { title: string; version: string };
  definitions: Record<string, JsonSchema>;
}

/** Swagger 2.0: every group version's paths and schemas in one document, refs under definitions. */
function swaggerDoc(): SwaggerDoc {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, JsonSchema> = {};
  for (const gv of groupVersions()) {
    const doc = groupVersionDoc(gv.group, gv.version) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, JsonSchema> };
    };
    Object.assign(paths, doc.paths);
    Object.assign(definitions, doc.components.schemas);
  }
  const text = JSON.stringify({
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    definitions: Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, toSwagger2(v)])),
  });
  return JSON.parse(text.replaceAll('#/components/schemas/', '#/definitions/'));
}

function acceptsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept === '' || /application\/json|\*\/\*/.test(accept);
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase().slice(0, 128);
}

export function serveOpenApi(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path === '/openapi/v2') {
    const accept = req.headers.accept ?? '';
    if (acceptsOpenApiV2Protobuf(accept)) {
      const body = encodeOpenApiV2(swaggerDoc());
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Content-Length': body.length });
      res.end(body);
    } else if (acceptsJson(req)) sendJson(res, 200, swaggerDoc());
    else
      sendJson(res, 406, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `only the following media types are accepted: application/json, ${OPENAPI_V2_PROTOBUF}`,
        reason: 'NotAcceptable',
        code: 406,
      });
    return true;
  }
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
