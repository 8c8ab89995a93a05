/**
 * Finished audits are immutable: GET /v1/audits/{id} and each report format carry a strong ETag
 * and answer If-None-Match with 304; a change to the run (its late cleanup) gives a new ETag;
 * an unfinished run carries none and is always rendered afresh.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allPassing, ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const paths = (id: string) => [
  `/v1/audits/${id}`,
  `/v1/audits/${id}/report?format=json`,
  `/v1/audits/${id}/report?format=junit`,
  `/v1/audits/${id}/report?format=markdown`,
];

describe('ETag and 304 on finished audits', () => {
  it('gives each representation a strong ETag, 304 on a match, the same bytes on a miss', async () => {
    harness = createHarness();
    const h = harness;
    const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await h.runner.whenIdle();
    const tags = new Set<string>();
    for (const path of paths(created.body.id)) {
      const first = await call(h, 'GET', path);
      const etag = first.headers.get('etag');
      expect(etag, path).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      tags.add(etag!);
      const again = await call(h, 'GET', path);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('etag')).toBe(etag);
      const notModified = await call(h, 'GET', path, { headers: { 'if-none-match': `"other", W/${etag}` } });
      expect(notModified.status, path).toBe(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      const stale = await call(h, 'GET', path, { headers: { 'if-none-match': '"other"' } });
      expect(stale.status).toBe(200);
      expect(stale.text).toBe(first.text);
    }
    expect(tags.size, 'one ETag per representation').toBe(4);
  });

  it('changes the ETag when the run changes, and gives none while the run is unfinished', async () => {
    harness = createHarness({ executor: new ScriptedExecutor(allPassing, { holdAfter: 1 }) });
    const h = harness;
    const running = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const live = await call(h, 'GET', `/v1/audits/${running.body.id}`);
    expect(live.body.status).toBe('running');
    expect(live.headers.get('etag')).toBeNull();
    await call(h, 'POST', `/v1/audits/${running.body.id}/cancel`);
    await h.runner.whenIdle();
    const done = await call(h, 'GET', `/v1/audits/${running.body.id}`);
    const etag = done.headers.get('etag')!;
    expect(etag).toBeTruthy();
    h.store.recordCleanup(running.body.id, { namespace: 'kubeproof-x', deleted: false, detail: 'still there' });
    const changed = await call(h, 'GET', `/v1/audits/${running.body.id}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.cleanup).toEqual({ namespace: 'kubeproof-x', deleted: false, detail: 'still there' });
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});
