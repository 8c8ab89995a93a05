/**
 * Tenant isolation, in the style of unkey's route tests: every /v1 route is called with no token,
 * a wrong token, another tenant's token, the owner's token and an admin token, and each answer is
 * asserted. Another tenant's run is a 404 everywhere (its existence is not told), never cancelled.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/http/tenants.js';
import { allPassing, ScriptedExecutor } from '../service/fakes.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const TOKENS = {
  a: 'team-a-token-0123456789abcdef',
  b: 'team-b-token-fedcba9876543210',
  admin: 'ops-admin-token-5555aaaa6666bbbb',
};
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
// Team B and the admin are configured by hash only: no plaintext in the configuration.
const ENTRIES = [`team-a:${TOKENS.a}`, `team-b:sha256:${sha256(TOKENS.b)}`, `ops@admin:sha256:${sha256(TOKENS.admin)}`];

type Caller = 'none' | 'wrong' | 'other' | 'owner' | 'admin';
const CALLERS: Caller[] = ['none', 'wrong', 'other', 'owner', 'admin'];
const headersOf = (caller: Caller): Record<string, string> =>
  ({
    none: {},
    wrong: { authorization: 'Bearer not-a-valid-token-at-all-0000' },
    other: { authorization: `Bearer ${TOKENS.b}` },
    owner: { authorization: `Bearer ${TOKENS.a}` },
    admin: { authorization: `Bearer ${TOKENS.admin}` },
  })[caller];

let harness: Harness;
let runId: string;
let executor: ScriptedExecutor;
beforeEach(async () => {
  // The run holds after its first check until cancelled, so cancel has something to cancel.
  executor = new ScriptedExecutor(allPassing, { holdAfter: 1 });
  harness = createHarness({ apiTokens: ENTRIES, executor });
  const created = await call(harness, 'POST', '/v1/audits', {
    json: { kubeconfig: kubeconfigYaml(), labels: { team: 'a' } },
    headers: headersOf('owner'),
  });
  expect(created.status, created.text).toBe(202);
  runId = created.body.id;
});
afterEach(async () => harness.close());

interface RouteCase {
  name: string;
  method: string;
  path: () => string;
  json?: () => unknown;
  headers?: Record<string, string>;
  /** Expected status per caller. */
  expect: Record<Caller, number>;
}

const perRun = (ok: number): Record<Caller, number> => ({ none: 401, wrong: 401, other: 404, owner: ok, admin: ok });
const open = (ok: number): Record<Caller, number> => ({ none: 401, wrong: 401, other: ok, owner: ok, admin: ok });

const ROUTES: RouteCase[] = [
  {
    name: 'POST /v1/audits',
    method: 'POST',
    path: () => '/v1/audits',
    json: () => ({ kubeconfig: kubeconfigYaml() }),
    expect: open(202),
  },
  { name: 'GET /v1/audits', method: 'GET', path: () => '/v1/audits', expect: open(200) },
  { name: 'GET /v1/audits/{id}', method: 'GET', path: () => `/v1/audits/${runId}`, expect: perRun(200) },
  { name: 'GET /v1/audits/{id}/report', method: 'GET', path: () => `/v1/audits/${runId}/report`, expect: perRun(200) },
  { name: 'GET /v1/audits/{id}/events', method: 'GET', path: () => `/v1/audits/${runId}/events`, expect: perRun(200) },
  {
    name: 'GET /v1/audits/{id}/events (SSE)',
    method: 'GET',
    path: () => `/v1/audits/${runId}/events`,
    headers: { accept: 'text/event-stream' },
    expect: { ...perRun(200), owner: -1, admin: -1 },
  },
  {
    name: 'POST /v1/audits/{id}/cancel',
    method: 'POST',
    path: () => `/v1/audits/${runId}/cancel`,
    expect: perRun(202),
  },
  {
    // The run is still running: its owner (and the admin) are told to cancel first.
    name: 'DELETE /v1/audits/{id}',
    method: 'DELETE',
    path: () => `/v1/audits/${runId}`,
    expect: perRun(409),
  },
  { name: 'GET /v1/checks', method: 'GET', path: () => '/v1/checks', expect: open(200) },
  { name: 'GET /v1/rbac', method: 'GET', path: () => '/v1/rbac', expect: open(200) },
];

describe.each(ROUTES)('$name', (route) => {
  it.each(CALLERS.filter((c) => route.expect[c] >= 0))('as %s', async (caller) => {
    const res = await call(harness, route.method, route.path(), {
      headers: { ...headersOf(caller), ...route.headers },
      ...(route.json ? { json: route.json() } : {}),
    });
    expect(res.status, res.text.slice(0, 300)).toBe(route.expect[caller]);
    if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
    if (route.expect[caller] === 404) {
      // Nothing of the run leaks in the 404: not its labels, not its server.
      expect(res.text).not.toContain('team');
      expect(res.text).not.toContain('127.0.0.1');
    }
  });
});

describe('what each tenant sees', () => {
  it('lists only its own runs; admin lists all', async () => {
    const b = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml() },
      headers: headersOf('other'),
    });
    expect(b.status, b.text).toBe(202);
    const ids = async (caller: Caller) =>
      (await call(harness, 'GET', '/v1/audits', { headers: headersOf(caller) })).body.items.map(
        (r: { id: string }) => r.id,
      );
    expect(await ids('owner')).toEqual([runId]);
    expect(await ids('other')).toEqual([b.body.id]);
    expect((await ids('admin')).sort()).toEqual([runId, b.body.id].sort());
  });

  it("cannot cancel another tenant's run: 404, and the run keeps running", async () => {
    const res = await call(harness, 'POST', `/v1/audits/${runId}/cancel`, { headers: headersOf('other') });
    expect(res.status).toBe(404);
    const run = await call(harness, 'GET', `/v1/audits/${runId}`, { headers: headersOf('owner') });
    expect(['queued', 'running']).toContain(run.body.status);
  });

  it('records the owner on the run', async () => {
    expect(harness.store.getRun(runId)?.owner).toBe('team-a');
  });
});

describe('KUBEPROOF_API_TOKENS entries', () => {
  it('accepts name:token, name:sha256:<hex>, bare tokens and @admin', () => {
    const parsed = parseApiTokens(ENTRIES.concat('legacy-bare-token-0123456789'));
    expect(parsed.map((c) => c.tenant)).toEqual([
      { name: 'team-a', admin: false },
      { name: 'team-b', admin: false },
      { name: 'ops', admin: true },
      { name: 'default', admin: false },
    ]);
  });

  it.each([
    ['team-a:short', /shorter than 16/],
    ['Team A:long-enough-token-0000', /tenant name/],
    ['team-a:sha256:abcd', /64 hex/],
  ])('refuses %s without echoing the token', (entry, why) => {
    expect(() => parseApiTokens([entry])).toThrow(why);
    try {
      parseApiTokens([entry]);
    } catch (err) {
      expect((err as Error).message).not.toContain('long-enough-token');
    }
  });
});
