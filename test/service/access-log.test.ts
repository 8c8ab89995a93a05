import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import type { Logger } from '../../src/kernel/logger.js';
import { createLogger } from '../../src/logger.js';
import { startSimCluster } from '../sim/index.js';
import { call, type Harness, harnessPool } from './harness.js';
import { kubeconfigYaml, TEST_TOKEN } from './kubeconfigs.js';

const API_TOKEN = 'team-a-api-token-5d1f0a9c7e3b';

const pool = harnessPool();
const harness = pool.harness;
afterEach(pool.closeAll);

type Line = Record<string, unknown> & { msg: string; level: string };
const lines = (h: Harness): Line[] => h.logs.map((l) => JSON.parse(l) as Line);
const accessLines = (h: Harness) => lines(h).filter((l) => l.msg === 'request');

describe('structured access logs', () => {
  it('writes one JSON line per request with request id, method, route, status and duration, and returns the id', async () => {
    const h = harness();
    const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await h.runner.whenIdle();
    await call(h, 'GET', `/v1/audits/${created.body.id}`);
    await call(h, 'GET', '/v1/no-such-route');
    await call(h, 'GET', '/healthz');

    const access = accessLines(h);
    expect(access).toHaveLength(4);
    expect(access.map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/v1/audits', 202],
      ['GET', '/v1/audits/:id', 200],
      ['GET', null, 404],
      ['GET', '/healthz', 200],
    ]);
    for (const l of access) {
      expect(l.level).toBe('info');
      expect(typeof l.durationMs).toBe('number');
      expect(l.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof l.time).toBe('string');
    }
    expect(new Set(access.map((l) => l.requestId)).size).toBe(4);
    // The raw path (with the id) is not the route; the run's id goes in its own field.
    expect(access.map((l) => l.route).join(' ')).not.toContain(created.body.id);
    expect(access.map((l) => l.runId)).toEqual([undefined, created.body.id, undefined, undefined]);
    // The POST's line and the run's "audit queued" line share the request id.
    const queued = lines(h).find((l) => l.msg === 'audit queued');
    expect(queued).toMatchObject({ requestId: access[0]!.requestId, runId: created.body.id });
  });

  it('honours a sane incoming X-Request-Id, replaces anything else, and answers with the id it used', async () => {
    const h = harness();
    const send = async (id?: string) => {
      const res = await h.app.request('/healthz', { headers: id === undefined ? {} : { 'x-request-id': id } });
      return res.headers.get('x-request-id');
    };
    for (const sane of [
      '4bf92f3577b34da6a3ce929d0e0e4736',
      'req-42',
      'a1b2.c3:d4_e5=',
      '0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69',
    ]) {
      expect(await send(sane)).toBe(sane);
    }
    for (const insane of ['has space', '"quoted"', 'x'.repeat(129), '-leading-dash', '../../etc', '<script>', '']) {
      const used = await send(insane);
      expect(used, insane).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(await send()).toMatch(/^[0-9a-f-]{36}$/);
    const logged = accessLines(h).map((l) => l.requestId);
    expect(logged.slice(0, 4)).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      'req-42',
      'a1b2.c3:d4_e5=',
      '0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69',
    ]);
    expect(logged.some((id) => String(id).includes(' ') || String(id).includes('<'))).toBe(false);
    // Error responses carry it too.
    const problem = await h.app.request('/v1/audits/nope', { headers: { 'x-request-id': 'trace-404' } });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('x-request-id')).toBe('trace-404');
  });

  it('never logs credentials: the kubeconfig token, the Authorization header, on success and on refusal', async () => {
    const h = harness({ apiTokens: [`team-a:${API_TOKEN}`] });
    const auth = { authorization: `Bearer ${API_TOKEN}` };
    const ok = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() }, headers: auth });
    expect(ok.status).toBe(202);
    await h.runner.whenIdle();
    // Refused kubeconfig (exec plugin), bad token, YAML body with the token: all logged, none with secrets.
    await call(h, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml({ user: { exec: { command: 'aws', args: [TEST_TOKEN] } } }) },
      headers: auth,
    });
    await call(h, 'GET', '/v1/audits', { headers: { authorization: `Bearer ${API_TOKEN}-wrong` } });
    await h.app.request(`/v1/audits?label=t=${TEST_TOKEN}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/yaml' },
      body: kubeconfigYaml(),
    });
    await h.runner.whenIdle();
    const all = h.logs.join('');
    const access = accessLines(h);
    expect(access.map((l) => l.status)).toEqual([202, 400, 401, 202]);
    expect(access[0]).toMatchObject({ tenant: 'team-a' });
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain(API_TOKEN);
    expect(all.toLowerCase()).not.toContain('bearer');
  });

  it('puts the run id on every line the run writes, the checks’ own lines included', async () => {
    const sim = await startSimCluster();
    onTestFinished(() => sim.stop());
    const logs: string[] = [];
    const logger: Logger = createLogger({ write: (line) => logs.push(line), level: 'debug' });
    const h = harness({
      executor: createSuiteExecutor({ clock: { now: () => new Date() }, logger }),
      catalog: suiteCatalog(),
    });
    const created = await call(h, 'POST', '/v1/audits', {
      json: { kubeconfig: sim.kubeconfig, checks: ['preflight', 'encryption'] },
    });
    expect(created.status, created.text).toBe(202);
    await h.runner.whenIdle();
    // The suite's lines (checks log through it) and the runner's lines.
    const suiteLines = logs.map((l) => JSON.parse(l) as Line);
    const runLines = lines(h).filter((l) => l.msg !== 'request');
    expect(
      suiteLines.map((l) => l.msg),
      logs.join(''),
    ).toContain('secrets.encryption strategy unavailable');
    expect(runLines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['audit queued', 'audit started', 'audit finished']),
    );
    for (const l of [...suiteLines, ...runLines]) expect(l.runId, JSON.stringify(l)).toBe(created.body.id);
    expect(logs.join('')).not.toContain(sim.token);
  }, 120_000);

  it('takes the log level from KUBEPROOF_LOG_LEVEL', async () => {
    expect(loadConfig({ KUBEPROOF_DB: ':memory:' }).logLevel).toBe('info');
    expect(loadConfig({ KUBEPROOF_DB: ':memory:', KUBEPROOF_LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(() => loadConfig({ KUBEPROOF_DB: ':memory:', KUBEPROOF_LOG_LEVEL: 'loud' })).toThrow(
      /KUBEPROOF_LOG_LEVEL must be one of debug, info, warn, error, got "loud"/,
    );
    const written: string[] = [];
    const warnOnly = createLogger({ write: (l) => written.push(l), level: 'warn' });
    warnOnly.debug?.('d');
    warnOnly.info('i');
    warnOnly.warn('w');
    warnOnly.error('e');
    expect(written.map((l) => JSON.parse(l).msg)).toEqual(['w', 'e']);
    const debug: string[] = [];
    const all = createLogger({ write: (l) => debug.push(l), level: 'debug' });
    all.debug?.('d');
    all.info('i');
    expect(debug.map((l) => JSON.parse(l).level)).toEqual(['debug', 'info']);
  });
});
