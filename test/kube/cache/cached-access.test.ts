/**
 * The run's shared cache against the simulated API server: one list+watch per kind however
 * many waits and reads share it, reads that see the run's own writes, a watch cut and expired
 * (410) → relist, a denied watch → `forbidden` as before, aborts, and no watch left open when the
 * run closes it. The sim runs API-only: pods here are objects, nothing starts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cachedAccess } from '../../../src/kube/cache/cached-access.js';
import { createClusterAccess } from '../../../src/kube/cluster/index.js';
import {
  type ClusterAccess,
  ClusterError,
  type KubeObject,
  WATCH_INTERRUPTED,
} from '../../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../../src/kube/kubeconfig/sanitize.js';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../../sim/index.js';

const NS = 'kubeproof-cache';
const FAST_BACKOFF = { watchBackoff: { initialMs: 5, maxMs: 50, jitter: 0.5 } };

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
});

let sim: SimCluster | undefined;
const opened: ClusterAccess[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  await sim?.stop();
  sim = undefined;
});

/** The sim, a direct client (the "other writer") and the run's cached client, namespace created. */
async function setUp(options: SimClusterOptions = {}) {
  sim = await startSimCluster({ apiOnly: true, ...options });
  const { kubeconfig } = sanitizeKubeconfig(sim.kubeconfig);
  const direct = createClusterAccess(kubeconfig, undefined, FAST_BACKOFF);
  const cached = cachedAccess(createClusterAccess(kubeconfig, undefined, FAST_BACKOFF), { namespace: NS });
  opened.push(direct, cached);
  await direct.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  // No controllers in an API-only sim: the service account a pod needs is made here.
  await direct.create(
    'serviceaccounts',
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
    NS,
  );
  sim.resetAccounting();
  return { sim, direct, cached };
}

const requests = (s: SimCluster, verb: string, resource: string) => s.accounting().requests[verb]?.[resource] ?? 0;
const names = (objs: readonly { metadata?: { name?: string } }[]) => objs.map((o) => o.metadata?.name).sort();
/** Resolves on the next macrotask turns until `cond` holds (no timing: the sim answers on loopback). */
async function until(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('the run cache (src/kube/cache)', () => {
  it('one list and one watch per kind, shared by every wait and read of the run', async () => {
    const { sim, direct, cached } = await setUp();
    const web = cached.waitFor('pods', { namespace: NS, labelSelector: 'app=web' }, (p) =>
      p.length === 2 ? names(p) : undefined,
    );
    const client = cached.waitFor('pods', { namespace: NS, fieldSelector: 'metadata.name=client' }, (p) =>
      p.length === 1 ? true : undefined,
    );
    await until(() => sim.accounting().watchesOpened === 1);
    await direct.create('pods', pod('web-1', { app: 'web' }), NS);
    await direct.create('pods', pod('client'), NS);
    await direct.create('pods', pod('web-2', { app: 'web' }), NS);
    await expect(web).resolves.toEqual(['web-1', 'web-2']);
    await expect(client).resolves.toBe(true);
    // Later reads and waits are answered from the same view.
    expect(names((await cached.list('pods', { namespace: NS, labelSelector: 'app=web' })).items)).toEqual([
      'web-1',
      'web-2',
    ]);
    expect((await cached.get('pods', 'client', NS)).metadata?.name).toBe('client');
    await cached.waitFor('pods', { namespace: NS }, (p) => (p.length === 3 ? true : undefined));
    expect(requests(sim, 'list', 'pods')).toBe(1);
    expect(requests(sim, 'watch', 'pods')).toBe(1);
    expect(requests(sim, 'get', 'pods')).toBe(0);
    // Another namespace is not the run's: asked of the server, as before.
    await cached.list('pods', { namespace: 'default' });
    expect(requests(sim, 'list', 'pods')).toBe(2);
  });

  it('a wait the first list answers costs that list alone for a kind waited on once (EndpointSlices)', async () => {
    const { sim, direct, cached } = await setUp();
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [],
    };
    await direct.create('endpointslices', slice, NS);
    const selector = { namespace: NS, labelSelector: 'kubernetes.io/service-name=web' };
    await cached.waitFor('endpointslices', selector, (s) => (s.length === 1 ? true : undefined));
    await until(() => sim.store.watcherCount() === 0);
    expect(requests(sim, 'list', 'endpointslices')).toBe(1);
    expect(sim.accounting().watchesOpened).toBe(0);
    // Not live: a read goes to the server.
    await cached.list('endpointslices', selector);
    expect(requests(sim, 'list', 'endpointslices')).toBe(2);
  });

  it("reads after the run's own writes see them: create, patch, delete", async () => {
    const { sim, cached } = await setUp();
    // Live view first (a wait that does not end at once).
    const all = cached.waitFor('pods', { namespace: NS }, (p) =>
      p.some((o) => o.metadata?.name === 'end') ? p : undefined,
    );
    await until(() => sim.accounting().watchesOpened === 1);
    await cached.create('pods', pod('p1', { app: 'web' }), NS);
    expect(names((await cached.list('pods', { namespace: NS, labelSelector: 'app=web' })).items)).toEqual(['p1']);
    await cached.patch('pods', 'p1', { metadata: { labels: { app: 'other' } } }, NS);
    expect((await cached.list('pods', { namespace: NS, labelSelector: 'app=web' })).items).toEqual([]);
    expect((await cached.get('pods', 'p1', NS)).metadata?.labels?.app).toBe('other');
    await cached.delete('pods', 'p1', NS);
    const after = (await cached.list('pods', { namespace: NS })).items;
    expect(after.every((p) => p.metadata?.deletionTimestamp !== undefined)).toBe(true);
    await cached.create('pods', pod('end'), NS);
    await all;
    expect(requests(sim, 'list', 'pods')).toBe(1);
  });

  it('a watch cut and expired (410 Gone) is relisted; the waits carry on', async () => {
    const { sim, direct, cached } = await setUp({ idleNetwork: { idleMs: 150, mode: 'reset' } });
    const seen = cached.waitFor(
      'pods',
      { namespace: NS },
      (p) => (p.some((o) => o.metadata?.name === 'late') ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    await until(() => sim.accounting().watchesOpened === 1);
    // A write elsewhere, then history compacted past it: the pods watch resumes from too old a version.
    await direct.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, NS);
    sim.store.compact(sim.store.resourceVersion());
    await until(() => requests(sim, 'list', 'pods') >= 2);
    await direct.create('pods', pod('late'), NS);
    await expect(seen).resolves.toBe(true);
  });

  it('a denied watch fails every wait with `forbidden` (could not tell), each time, and lists still work', async () => {
    const { direct, cached } = await setUp({ faults: ['rbac-missing:watch:pods'] });
    await direct.create('pods', pod('p1'), NS);
    const wait = () => cached.waitFor('pods', { namespace: NS }, (p) => (p.length === 2 ? true : undefined));
    await expect(wait()).rejects.toMatchObject({ name: 'ClusterError', kind: 'forbidden' });
    await expect(wait()).rejects.toMatchObject({ kind: 'forbidden' });
    expect(names((await cached.list('pods', { namespace: NS })).items)).toEqual(['p1']);
  });

  it('a wait aborts on its signal and times out on its deadline; the shared view lives on for the others', async () => {
    const { sim, direct, cached } = await setUp();
    const other = cached.waitFor('pods', { namespace: NS }, (p) => (p.length === 1 ? true : undefined));
    const controller = new AbortController();
    const aborted = cached.waitFor('pods', { namespace: NS }, () => undefined, { signal: controller.signal });
    await until(() => sim.accounting().watchesOpened === 1);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ kind: 'aborted' });
    await expect(cached.waitFor('pods', { namespace: NS }, () => undefined, { timeoutMs: 50 })).rejects.toMatchObject({
      kind: 'timeout',
    });
    await direct.create('pods', pod('p1'), NS);
    await expect(other).resolves.toBe(true);
    expect(sim.accounting().watchesOpened).toBe(1);
  });

  it('a deadline while the watch cannot be resumed is WATCH_INTERRUPTED, not a timeout verdict', async () => {
    const { sim, cached } = await setUp();
    const live = cached.waitFor('pods', { namespace: NS }, () => undefined, { timeoutMs: 60_000 }).catch((e) => e);
    await until(() => sim.accounting().watchesOpened === 1);
    sim.faults.enable('apiserver-unreachable');
    await sim.settled();
    const err = await cached
      .waitFor('pods', { namespace: NS }, () => undefined, { timeoutMs: 1_500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect(err).toMatchObject({ kind: 'unreachable', reason: WATCH_INTERRUPTED });
    sim.faults.disable('apiserver-unreachable');
    await sim.settled();
    cached.close();
    await expect(live).resolves.toMatchObject({ kind: 'aborted' });
  });

  it('closing the run ends every watch of the cache (the sim sees none left open)', async () => {
    const { sim, cached } = await setUp();
    const waits = (['pods', 'deployments', 'endpointslices'] as const).map((kind) =>
      cached.waitFor(kind, { namespace: NS }, () => undefined, { timeoutMs: 60_000 }).catch((e: unknown) => e),
    );
    await until(() => sim.store.watcherCount() === 3);
    cached.close();
    for (const w of waits) await expect(w).resolves.toMatchObject({ kind: 'aborted' });
    await until(() => sim.store.watcherCount() === 0);
    expect(sim.store.watcherCount()).toBe(0);
  });
});
