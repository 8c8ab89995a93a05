/**
 * Every response of every route, parsed with the schema the OpenAPI document declares for that
 * route, status and media type: the document and the behaviour cannot drift apart. The routes
 * come from the app's own OpenAPI registry, so a new route is covered without editing this test.
 */
import type { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMAT_NAMES } from '../../src/report/formats.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

interface RouteDefinition {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>;
}

let harness: Harness;
let id: string;
let routes: RouteDefinition[];

beforeAll(async () => {
  harness = createHarness();
  const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
  expect(created.status, created.text).toBe(202);
  id = created.body.id;
  await harness.runner.whenIdle();
  routes = harness.app.openAPIRegistry.definitions
    .filter((d): d is Extract<typeof d, { type: 'route' }> => d.type === 'route')
    .map((d) => d.route as unknown as RouteDefinition);
});
afterAll(async () => harness?.close());

/** The requests that exercise one route: its path with the audit's id, once per report format. */
function requestsFor(route: RouteDefinition): Array<{ path: string; json?: unknown }> {
  const path = route.path.replace('{id}', id);
  if (route.path.endsWith('/report')) return REPORT_FORMAT_NAMES.map((f) => ({ path: `${path}?format=${f}` }));
  if (route.method === 'post' && route.path === '/v1/audits') return [{ path, json: { kubeconfig: kubeconfigYaml() } }];
  return [{ path }];
}

describe('every API response matches its documented schema', () => {
  it('covers the routes of the document', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['get /v1/audits/{id}/report', 'get /v1/checks', 'post /v1/audits']),
    );
  });

  it('answers each route with a documented status, media type and body', async () => {
    // Deleting routes go last: they remove the audit the others read.
    const ordered = [...routes].sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    for (const route of ordered) {
      for (const request of requestsFor(route)) {
        const res = await call(harness, route.method.toUpperCase(), request.path, request);
        const where = `${route.method} ${request.path} → ${res.status}`;
        const documented = route.responses[String(res.status)];
        expect(documented, `${where} is not a documented status`).toBeDefined();
        const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
        const content = documented?.content;
        if (!content) continue;
        const schema = content[mediaType]?.schema;
        expect(schema, `${where}: ${mediaType} is not documented (${Object.keys(content).join(', ')})`).toBeDefined();
        const body = mediaType.endsWith('json') ? res.body : res.text;
        const parsed = schema?.safeParse(body);
        expect(parsed?.success, `${where}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
      }
    }
  });
});
