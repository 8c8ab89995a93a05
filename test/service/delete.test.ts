import { afterEach, describe, expect, it } from 'vitest';
import { allPassing, ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

const TOKENS = { a: 'team-a-token-0123456789abcdef', b: 'team-b-token-fedcba9876543210' };
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('DELETE /v1/audits/{id}', () => {
  it('deletes a finished audit with its results and events: 204, then 404 everywhere', async () => {
    harness = createHarness();
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const id: string = created.body.id;
    expect(harness.store.getRunWithResults(id)?.results.length).toBeGreaterThan(0);
    expect(harness.store.listEvents(id).length).toBeGreaterThan(0);

    const deleted = await call(harness, 'DELETE', created.body.links.self);
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe('');

    expect(harness.store.getRun(id)).toBeUndefined();
    // Results and events went with the run (ON DELETE CASCADE with foreign keys on).
    const sqlite = harness.database.sqlite;
    expect(sqlite.prepare('SELECT count(*) AS n FROM check_results WHERE run_id = ?').get(id)).toEqual({ n: 0 });
    expect(sqlite.prepare('SELECT count(*) AS n FROM audit_events WHERE run_id = ?').get(id)).toEqual({ n: 0 });
    for (const path of [created.body.links.self, created.body.links.report, created.body.links.events]) {
      expect((await call(harness, 'GET', path)).status, path).toBe(404);
    }
    expect((await call(harness, 'GET', '/v1/audits')).body.items).toEqual([]);
    const again = await call(harness, 'DELETE', created.body.links.self);
    expect(again.status, again.text).toBe(404);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a running or queued audit with 409 saying to cancel first, and keeps it', async () => {
    const executor = new ScriptedExecutor(allPassing, { holdAfter: 1 });
    harness = createHarness({ executor, maxConcurrent: 1 });
    const held = new Promise<void>((resolve) => {
      executor.onHold = () => resolve();
    });
    const running = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await held;
    const queued = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    for (const [run, status] of [
      [running, 'running'],
      [queued, 'queued'],
    ] as const) {
      const res = await call(harness, 'DELETE', run.body.links.self);
      expect(res.status, res.text).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('conflict');
      expect(res.body.detail).toContain(status);
      expect(res.body.detail).toContain('cancel it first');
      expect(harness.store.getRun(run.body.id)?.status).toBe(status);
    }
    // Cancelled, it has ended and can go.
    await call(harness, 'POST', queued.body.links.cancel);
    await call(harness, 'POST', running.body.links.cancel);
    await harness.runner.whenIdle();
    for (const run of [running, queued]) {
      expect((await call(harness, 'DELETE', run.body.links.self)).status).toBe(204);
    }
  });

  it("answers 404 for another tenant's finished run and leaves it; the owner may delete it", async () => {
    harness = createHarness({ apiTokens: [`team-a:${TOKENS.a}`, `team-b:${TOKENS.b}`] });
    const created = await call(harness, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), labels: { team: 'a' } },
      headers: as(TOKENS.a),
    });
    await harness.runner.whenIdle();
    const other = await call(harness, 'DELETE', created.body.links.self, { headers: as(TOKENS.b) });
    expect(other.status, other.text).toBe(404);
    expect(other.text).not.toContain('team');
    expect(harness.store.getRun(created.body.id)).toBeDefined();
    const none = await call(harness, 'DELETE', created.body.links.self);
    expect(none.status).toBe(401);
    const owner = await call(harness, 'DELETE', created.body.links.self, { headers: as(TOKENS.a) });
    expect(owner.status, owner.text).toBe(204);
  });

  it('is in the OpenAPI document as deleteAudit with 204, 404 and 409', async () => {
    harness = createHarness();
    const doc = (await call(harness, 'GET', '/openapi.json')).body;
    const op = doc.paths['/v1/audits/{id}'].delete;
    expect(op.operationId).toBe('deleteAudit');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['204', '404', '409']));
  });
});
