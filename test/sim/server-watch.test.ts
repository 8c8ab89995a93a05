import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from './index.js';
import { openWatch, rawRequest } from './sim-http.test-helper.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true, historyLimit: 5, bookmarkIntervalMs: 50 });
  await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'w' } } });
});
afterAll(async () => {
  await sim.stop();
});

const cm = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
});

describe('watch', () => {
  it('streams initial ADDED events, then changes as they happen', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces/w/configmaps', { body: cm('first') });
    const watch = await openWatch(sim, '/api/v1/namespaces/w/configmaps?watch=true');
    expect(watch.status).toBe(200);
    expect(await watch.next()).toMatchObject({
      type: 'ADDED',
      object: { kind: 'ConfigMap', metadata: { name: 'first' } },
    });
    await rawRequest(sim, 'PATCH', '/api/v1/namespaces/w/configmaps/first', {
      body: { data: { a: '1' } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(await watch.next()).toMatchObject({ type: 'MODIFIED', object: { data: { a: '1' } } });
    await rawRequest(sim, 'DELETE', '/api/v1/namespaces/w/configmaps/first');
    expect(await watch.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'first' } } });
    watch.close();
  });

  it('answers a too-old resourceVersion with HTTP 200 and an ERROR event carrying 410 Expired', async () => {
    const list = (await rawRequest(sim, 'GET', '/api/v1/namespaces/w/configmaps')).json();
    const old = Number(list.metadata.resourceVersion);
    for (let i = 0; i < 8; i++)
      await rawRequest(sim, 'POST', '/api/v1/namespaces/w/configmaps', { body: cm(`churn-${i}`) });
    const watch = await openWatch(sim, `/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=${old}`);
    expect(watch.status).toBe(200);
    const event = await watch.next();
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(event.object.message).toMatch(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
    await watch.ended;
  });

  it('turns label changes into ADDED/DELETED for a label-selected watch, and sends bookmarks when allowed', async () => {
    const watch = await openWatch(
      sim,
      '/api/v1/namespaces/w/configmaps?watch=true&labelSelector=team%3Dblue&allowWatchBookmarks=true',
    );
    await rawRequest(sim, 'POST', '/api/v1/namespaces/w/configmaps', { body: cm('labelled') });
    const patch = (labels: unknown) =>
      rawRequest(sim, 'PATCH', '/api/v1/namespaces/w/configmaps/labelled', {
        body: { metadata: { labels } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    await patch({ team: 'blue' });
    const nonBookmark = async () => {
      for (;;) {
        const e = await watch.next();
        if (e.type !== 'BOOKMARK') return e;
      }
    };
    expect(await nonBookmark()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'labelled' } } });
    await patch({ team: 'red' });
    expect(await nonBookmark()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'labelled' } } });
    let bookmark = await watch.next();
    while (bookmark.type !== 'BOOKMARK') bookmark = await watch.next();
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.any(String) },
    });
    watch.close();
  });

  it('ends the stream after timeoutSeconds and counts the watch in accounting', async () => {
    const before = sim.accounting().watchesOpened;
    const watch = await openWatch(sim, '/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=1');
    await watch.ended;
    expect(sim.accounting().watchesOpened).toBe(before + 1);
  });
});
