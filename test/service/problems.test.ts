import { afterEach, describe, expect, it } from 'vitest';
import { fakeCatalogEntries } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type'), res.text).toContain('application/problem+json');
  expect(res.body, res.text).toMatchObject({
    type: `urn:kubeproof:problem:${code}`,
    status,
    code,
    title: expect.any(String),
  });
  expect(res.body.detail, res.text).toEqual(expect.any(String));
  expect(res.body.instance, res.text).toEqual(expect.stringMatching(/^\//));
}

describe('every bad input is an application/problem+json', () => {
  it('lists each failing field of an invalid JSON body', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', { json: { checks: 'smoke', labels: { 'bad key!': 'x' } } });
    expectProblem(res, 400, 'validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths, res.text).toEqual(expect.arrayContaining(['body.kubeconfig', 'body.checks']));
  });

  it('names bad options fields', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), options: { replicas: 1 } },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].path, res.text).toBe('body.options.replicas');
  });

  it('refuses a misspelt field instead of silently ignoring it, in the body and in options', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      json: {
        kubeconfig: kubeconfigYaml(),
        check: ['smoke'],
        options: { replica: 4, encryption: { strategie: 'auto' } },
      },
    });
    expectProblem(res, 400, 'validation_failed');
    const messages = res.body.errors
      .map((e: { path: string; message: string }) => `${e.path}: ${e.message}`)
      .join('\n');
    expect(messages, res.text).toMatch(/check/);
    expect(messages, res.text).toMatch(/replica/);
    expect(messages, res.text).toMatch(/strategie/);
    expect(harness.store.listRuns({ limit: 10 }), res.text).toHaveLength(0);
  });

  it('refuses malformed JSON', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      body: '{"kubeconfig": ',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'validation_failed');
  });

  it('refuses a body without content type, and a content type it does not take', async () => {
    harness = createHarness();
    expectProblem(await call(harness, 'POST', '/v1/audits'), 400, 'validation_failed');
    expectProblem(
      await call(harness, 'POST', '/v1/audits', { body: 'a,b', headers: { 'content-type': 'text/csv' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('names the content types it takes when curl sends its form-urlencoded default', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      body: 'apiVersion: v1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415, 'unsupported_media_type');
    expect(res.body.detail, res.text).toContain('application/json or application/yaml');
    expect(res.body.detail, res.text).toContain("-H 'Content-Type: application/yaml'");
  });

  it('refuses a raw kubeconfig whose checks query names nothing', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits?checks=,', {
      body: kubeconfigYaml(),
      headers: { 'content-type': 'application/yaml' },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors, res.text).toEqual([{ path: 'query.checks', message: expect.any(String) }]);
  });

  it('refuses an empty JSON body and an empty raw body, each with a detail', async () => {
    harness = createHarness();
    const json = await call(harness, 'POST', '/v1/audits', {
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(json, 400, 'validation_failed');
    const yaml = await call(harness, 'POST', '/v1/audits', {
      body: '',
      headers: { 'content-type': 'application/yaml' },
    });
    expectProblem(yaml, 400, 'invalid_kubeconfig');
    expect(yaml.body.detail, yaml.text).toContain('empty');
  });

  it('names unknown check ids and groups', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), checks: ['smoke', 'dns.servce', 'speed'] },
    });
    expectProblem(res, 400, 'unknown_checks');
    expect(res.body.unknown).toEqual(['dns.servce', 'speed']);
    expect(res.body.detail).toContain('dns.servce');
  });

  it('refuses a body over the size limit with 413, JSON or raw', async () => {
    harness = createHarness({ bodyLimitBytes: 1024 });
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: 'x'.repeat(4096) } });
    expectProblem(res, 413, 'payload_too_large');
    const raw = await call(harness, 'POST', '/v1/audits', {
      body: `${kubeconfigYaml()}\n# ${'x'.repeat(4096)}\n`,
      headers: { 'content-type': 'application/yaml' },
    });
    expectProblem(raw, 413, 'payload_too_large');
    expect(raw.body.detail, raw.text).toContain('1024 bytes');
    expect(harness.store.listRuns({ limit: 1 })).toEqual([]);
  });

  it('refuses malformed YAML in a raw body', async () => {
    harness = createHarness();
    const res = await call(harness, 'POST', '/v1/audits', {
      body: 'clusters: [\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expectProblem(res, 400, 'invalid_kubeconfig');
  });

  it('answers 404 problems for unknown audits and unknown routes', async () => {
    harness = createHarness();
    expectProblem(await call(harness, 'GET', '/v1/audits/does-not-exist'), 404, 'not_found');
    expectProblem(await call(harness, 'GET', '/v1/nothing-here'), 404, 'not_found');
  });

  it('answers 406 when the report is asked in a format it cannot produce', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    expectProblem(
      await call(harness, 'GET', created.body.links.report, { headers: { accept: 'image/png' } }),
      406,
      'not_acceptable',
    );
    expectProblem(await call(harness, 'GET', `${created.body.links.report}?format=pdf`), 400, 'validation_failed');
  });

  it('never leaks internals in a 500', async () => {
    harness = createHarness({
      catalog: {
        list: () => {
          throw new Error('SQLITE_CORRUPT at /var/lib/secret/path.db');
        },
      },
    });
    const res = await call(harness, 'GET', '/v1/checks');
    expectProblem(res, 500, 'internal');
    expect(res.text).not.toContain('SQLITE_CORRUPT');
    expect(res.text).not.toContain('/var/lib');
    expect(harness.logs.join('')).toContain('SQLITE_CORRUPT');
  });

  it('serves the catalog and RBAC for a selection, and refuses unknown names there too', async () => {
    harness = createHarness();
    const checks = await call(harness, 'GET', '/v1/checks');
    expect(checks.status, checks.text).toBe(200);
    expect(checks.body.items.map((c: { id: string }) => c.id)).toEqual(fakeCatalogEntries.map((e) => e.id));
    const rbac = await call(harness, 'GET', '/v1/rbac?checks=dns.service');
    expect(rbac.status, rbac.text).toBe(200);
    expect(rbac.headers.get('content-type')).toContain('application/yaml');
    expect(rbac.text).toContain('kind: ClusterRole');
    expect(rbac.text).toContain('kubectl create token kubeproof -n kubeproof');
    expect(rbac.text).not.toContain('kind: Role\n');
    const withEncryption = await call(harness, 'GET', '/v1/rbac?checks=encryption');
    expect(withEncryption.text).toContain('namespace: kube-system');
    expect(withEncryption.text).toContain('pods/exec');
    expectProblem(await call(harness, 'GET', '/v1/rbac?checks=nope'), 400, 'unknown_checks');
  });
});
