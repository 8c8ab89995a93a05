import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../index.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** Opens a watch and resolves with how it ended: a clean end or a connection error. */
function watchUntilItEnds(cluster: SimCluster): Promise<{ how: 'end' | 'error'; code?: string; status?: number }> {
  return new Promise((resolve) => {
    const req = request(
      `${cluster.url}/api/v1/namespaces/default/configmaps?watch=true`,
      { ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ how: 'end', status: res.statusCode }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ how: 'error', code: e.code, status: res.statusCode }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ how: 'error', code: e.code }));
    req.end();
  });
}

describe('watch-interrupting network (idle load balancer in front of the API server)', () => {
  it('closes an idle watch cleanly after the idle time, while a busy connection lives on', async () => {
    sim = await startSimCluster({ apiOnly: true, idleNetwork: { idleMs: 300, mode: 'close' } });
    const ended = await watchUntilItEnds(sim);
    expect(ended.status).toBe(200);
    expect(['end', 'error']).toContain(ended.how);
    if (ended.how === 'error') expect(ended.code).toBe('ECONNRESET');
    const version = await fetchVersion(sim);
    expect(version).toMatch(/"gitVersion"/);
  });

  it('resets an idle watch (RST) in reset mode', async () => {
    sim = await startSimCluster({ apiOnly: true, idleNetwork: { idleMs: 300, mode: 'reset' } });
    expect(await watchUntilItEnds(sim)).toMatchObject({ how: 'error', code: 'ECONNRESET' });
  });
});

function fetchVersion(cluster: SimCluster): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.url}/version`,
      { ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.token}` } },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
