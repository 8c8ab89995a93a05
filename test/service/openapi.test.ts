import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../scripts/write-openapi.js';
import { call, createHarness, type Harness } from './harness.js';

let harness: Harness;
afterEach(async () => harness?.close());

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  description?: string;
  $ref?: string;
  [k: string]: unknown;
};

/** Paths of object properties that have neither a description nor a $ref to a named component. */
function undescribed(schema: Schema, path: string): string[] {
  const found: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!prop.$ref && !prop.description) found.push(`${path}.${name}`);
    found.push(...undescribed(prop, `${path}.${name}`));
  }
  if (schema.items) found.push(...undescribed(schema.items, `${path}[]`));
  return found;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the bearer security scheme and every route', async () => {
    harness = createHarness();
    const res = await call(harness, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(res.body.paths).sort()).toEqual(
      [
        '/healthz',
        '/metrics',
        '/readyz',
        '/v1/audits',
        '/v1/audits/{id}',
        '/v1/audits/{id}/cancel',
        '/v1/audits/{id}/events',
        '/v1/audits/{id}/report',
        '/v1/checks',
        '/v1/rbac',
      ].sort(),
    );
  });

  it('names every operation with a unique camelCase operationId; probes need no token', async () => {
    harness = createHarness();
    const res = await call(harness, 'GET', '/openapi.json');
    const operations = Object.values(
      res.body.paths as Record<string, Record<string, { operationId?: string; security?: unknown[] }>>,
    ).flatMap((item) => Object.values(item));
    const ids = operations.map((op) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][a-zA-Z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(res.body.paths['/healthz'].get.security).toEqual([]);
    expect(res.body.paths['/readyz'].get.security).toEqual([]);
    expect(res.body.paths['/v1/audits'].post.operationId).toBe('createAudit');
    expect(res.body.paths['/v1/audits/{id}/report'].get.operationId).toBe('getAuditReport');
    expect(res.body.servers?.length).toBeGreaterThan(0);
  });

  it('describes every field of every named schema', async () => {
    harness = createHarness();
    const res = await call(harness, 'GET', '/openapi.json');
    const schemas = res.body.components.schemas as Record<string, Schema>;
    for (const name of ['AuditRun', 'CheckResult', 'Problem', 'CreateAuditRequest', 'AuditOptions', 'CatalogEntry']) {
      expect(schemas[name], name).toBeDefined();
    }
    const missing = Object.entries(schemas).flatMap(([name, schema]) => undescribed(schema, name));
    expect(missing).toEqual([]);
  });

  it('spreads the shared problem responses into every /v1 route', async () => {
    harness = createHarness();
    const res = await call(harness, 'GET', '/openapi.json');
    for (const [path, operations] of Object.entries(
      res.body.paths as Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>,
    )) {
      if (!path.startsWith('/v1')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of ['400', '401', '413', '500']) {
          expect(operation.responses[status], `${method.toUpperCase()} ${path} lacks ${status}`).toMatchObject({
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          });
        }
        expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
  });

  it('equals the committed openapi/openapi.json (run `npm run openapi` when this fails)', async () => {
    harness = createHarness();
    const served = await call(harness, 'GET', '/openapi.json');
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(served.body).toEqual(committed);
  });

  it('serves /docs as a page that loads the served document', async () => {
    harness = createHarness();
    const docs = await call(harness, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    // The page's initializer script (served at /docs/init.js) fetches the document.
    expect(docs.text).toContain('<script src="/docs/init.js"></script>');
    const init = await call(harness, 'GET', '/docs/init.js');
    const url = /fetch\("([^"]+)"/.exec(init.text)?.[1];
    expect(url, init.text).toBe('/openapi.json');
    const doc = await call(harness, 'GET', url!);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
  });
});
