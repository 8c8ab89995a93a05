import { afterEach, describe, expect, it } from 'vitest';
import { call, createHarness, type Harness } from './harness.js';

const TOKEN = 'kp-api-token-0123456789abcdef';
let harness: Harness;
afterEach(async () => harness?.close());

describe('bearer authentication', () => {
  it('requires a token on /v1 when tokens are configured', async () => {
    harness = createHarness({ apiTokens: ['another-token-abcdef0123456', TOKEN] });
    const none = await call(harness, 'GET', '/v1/audits');
    expect(none.status, none.text).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await call(harness, 'GET', '/v1/audits', { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status, wrong.text).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    const right = await call(harness, 'GET', '/v1/audits', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status, right.text).toBe(200);
  });

  it('refuses every /v1 route of the document without a token', async () => {
    harness = createHarness({ apiTokens: [TOKEN] });
    const v1 = harness.app.openAPIRegistry.definitions
      .filter((d): d is Extract<typeof d, { type: 'route' }> => d.type === 'route')
      .map((d) => ({ method: d.route.method.toUpperCase(), path: d.route.path }))
      .filter((r) => r.path.startsWith('/v1'));
    expect(v1.length).toBeGreaterThan(5);
    for (const { method, path } of v1) {
      const res = await call(harness, method, path.replace(/\{[^}]+\}/g, 'some-id'));
      expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).toBe(401);
      expect(res.headers.get('www-authenticate'), `${method} ${path}`).toContain('Bearer');
    }
  });

  it('checks the token before reading the body', async () => {
    harness = createHarness({ apiTokens: [TOKEN] });
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: 'x' } });
    expect(res.status, res.text).toBe(401);
  });

  it('leaves health, readiness, the OpenAPI document and the docs open', async () => {
    harness = createHarness({ apiTokens: [TOKEN] });
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      const res = await call(harness, 'GET', path);
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(200);
    }
  });

  it('lets every request through when no tokens are configured', async () => {
    harness = createHarness();
    const res = await call(harness, 'GET', '/v1/audits');
    expect(res.status, res.text).toBe(200);
  });
});

describe('health', () => {
  it('is ready when the database is writable and the runner alive, and not after shutdown', async () => {
    harness = createHarness();
    const ready = await call(harness, 'GET', '/readyz');
    expect(ready.body, ready.text).toEqual({ status: 'ok', checks: { database: true, runner: true } });
    await harness.runner.shutdown();
    const after = await call(harness, 'GET', '/readyz');
    expect(after.status, after.text).toBe(503);
    expect(after.body.checks.runner).toBe(false);
  });
});
