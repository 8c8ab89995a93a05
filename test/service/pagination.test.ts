import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

async function submit(labels: Record<string, string>, server = 'https://127.0.0.1:6443') {
  const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml({ server }), labels } });
  expect(res.status, res.text).toBe(202);
  return res.body.id as string;
}

describe('listing audits', () => {
  it('pages newest first with a cursor, without overlap or gaps', async () => {
    harness = createHarness();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await submit({ n: String(i) }));
    await harness.runner.whenIdle();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(
        harness,
        'GET',
        `/v1/audits?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status, server and labels', async () => {
    harness = createHarness({ executor: new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }]) });
    const a = await submit({ env: 'prod', team: 'core' });
    const b = await submit({ env: 'staging' }, 'https://127.0.0.2:6443');
    await harness.runner.whenIdle();
    const prod = await call(harness, 'GET', '/v1/audits?label=env=prod&label=team=core');
    expect(
      prod.body.items.map((r: { id: string }) => r.id),
      prod.text,
    ).toEqual([a]);
    const byServer = await call(harness, 'GET', `/v1/audits?server=${encodeURIComponent('https://127.0.0.2:6443')}`);
    expect(
      byServer.body.items.map((r: { id: string }) => r.id),
      byServer.text,
    ).toEqual([b]);
    const failed = await call(harness, 'GET', '/v1/audits?status=failed');
    expect(failed.body.items, failed.text).toEqual([]);
    const passed = await call(harness, 'GET', '/v1/audits?status=passed');
    expect(passed.body.items.length, passed.text).toBe(2);
  });

  it('refuses a cursor it did not issue and a bad limit, naming the field', async () => {
    harness = createHarness();
    const badCursor = await call(harness, 'GET', '/v1/audits?cursor=garbage');
    expect(badCursor.status, badCursor.text).toBe(400);
    expect(badCursor.body.errors[0].path).toBe('query.cursor');
    const badLimit = await call(harness, 'GET', '/v1/audits?limit=1000');
    expect(badLimit.status, badLimit.text).toBe(400);
    expect(badLimit.body.errors[0].path).toBe('query.limit');
    const badLabel = await call(harness, 'GET', `/v1/audits?label=${encodeURIComponent('a"b=c')}`);
    expect(badLabel.status, badLabel.text).toBe(400);
    expect(badLabel.body.errors[0].path).toBe('query.label');
  });
});
