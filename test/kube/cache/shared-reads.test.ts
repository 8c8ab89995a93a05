/**
 * The run cache's reads taken once and shared (kube-system's pods, the server version, the
 * nodes): two askers cost one request, a refused or failed read reaches every asker as it would
 * have alone, one asker's cancellation or deadline never ends the read for the others, and a
 * caller judging the current state (`fresh`) still asks the server.
 */
import { describe, expect, it } from 'vitest';
import { cachedAccess } from '../../../src/kube/cache/cached-access.js';
import {
  type CallOptions,
  type ClusterAccess,
  ClusterError,
  type KubeObject,
  type ListSelector,
} from '../../../src/kube/cluster-access.js';

const pod = (name: string, labels: Record<string, string>): KubeObject => ({
  metadata: { name, namespace: 'kube-system', labels, resourceVersion: '7' },
});
const KUBE_SYSTEM = [
  pod('etcd-cp', { component: 'etcd', tier: 'control-plane' }),
  pod('kube-apiserver-cp', { component: 'kube-apiserver', tier: 'control-plane' }),
  pod('coredns-1', { 'k8s-app': 'kube-dns' }),
];

interface Asked {
  selector: ListSelector;
  opts: CallOptions | undefined;
  answer: (items: KubeObject[]) => void;
  fail: (err: unknown) => void;
}

/** An inner ClusterAccess whose lists and version answer when the test says so. */
function scripted() {
  const lists: Asked[] = [];
  const versions: Array<{ opts: CallOptions | undefined; answer: () => void }> = [];
  const inner = {
    server: 'https://127.0.0.1:6443',
    list: (_resource: string, selector: ListSelector = {}, opts?: CallOptions) =>
      new Promise((resolve, reject) =>
        lists.push({
          selector,
          opts,
          answer: (items) => resolve({ items, resourceVersion: '9' }),
          fail: reject,
        }),
      ),
    version: (opts?: CallOptions) =>
      new Promise((resolve) =>
        versions.push({ opts, answer: () => resolve({ major: '1', minor: '32', gitVersion: 'v1.32.0' }) }),
      ),
    close() {},
  } as unknown as ClusterAccess;
  return { cluster: cachedAccess(inner, { namespace: 'kubeproof-x' }), lists, versions };
}

const names = (r: { items: KubeObject[] }) => r.items.map((o) => o.metadata?.name);
const settled = () => new Promise((r) => setImmediate(r));
const forbidden = () =>
  new ClusterError(
    'forbidden',
    'pods is forbidden: User "kubeproof" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    403,
    'Forbidden',
  );

describe('kube-system pods: one unselected list per run, filtered as the server filters', () => {
  it('two askers (a label-selected and an unselected list) cost one request', async () => {
    const { cluster, lists } = scripted();
    const etcd = cluster.list(
      'pods',
      { namespace: 'kube-system', labelSelector: 'component=etcd,tier=control-plane' },
      { timeoutMs: 15_000 },
    );
    const shape = cluster.list('pods', { namespace: 'kube-system' }, { timeoutMs: 10_000 });
    await settled();
    expect(lists.map((l) => l.selector)).toEqual([{ namespace: 'kube-system' }]);
    lists[0]?.answer(KUBE_SYSTEM);
    expect(names(await etcd)).toEqual(['etcd-cp']);
    expect(names(await shape)).toEqual(['etcd-cp', 'kube-apiserver-cp', 'coredns-1']);
    // Later askers read the same answer.
    const apiserver = await cluster.list('pods', {
      namespace: 'kube-system',
      labelSelector: 'component=kube-apiserver,tier=control-plane',
    });
    expect(names(apiserver)).toEqual(['kube-apiserver-cp']);
    expect(lists).toHaveLength(1);
  });

  it('a 403 reaches every asker as the same forbidden error; the next asker asks again', async () => {
    const { cluster, lists } = scripted();
    const etcd = cluster.list('pods', { namespace: 'kube-system', labelSelector: 'component=etcd' });
    const shape = cluster.list('pods', { namespace: 'kube-system' });
    await settled();
    lists[0]?.fail(forbidden());
    for (const asker of [etcd, shape])
      await expect(asker).rejects.toMatchObject({ kind: 'forbidden', httpStatus: 403, reason: 'Forbidden' });
    const again = cluster.list('pods', { namespace: 'kube-system' });
    await settled();
    expect(lists).toHaveLength(2);
    lists[1]?.answer(KUBE_SYSTEM);
    expect(names(await again)).toHaveLength(3);
  });

  it("one asker cancelled or out of time: the list goes on for the other, under the run's signal", async () => {
    const { cluster, lists } = scripted();
    const cancelled = new AbortController();
    const first = cluster.list(
      'pods',
      { namespace: 'kube-system', labelSelector: 'component=etcd' },
      { signal: cancelled.signal },
    );
    const second = cluster.list('pods', { namespace: 'kube-system' }, { timeoutMs: 60_000 });
    await settled();
    expect(lists[0]?.opts?.signal).not.toBe(cancelled.signal);
    cancelled.abort();
    await expect(first).rejects.toMatchObject({ kind: 'aborted' });
    expect(lists[0]?.opts?.signal?.aborted).toBe(false);
    // The read's own deadline is at least the longest asker's (here 60 s), never the first one's.
    expect(lists[0]?.opts?.timeoutMs).toBe(30_000);
    lists[0]?.answer(KUBE_SYSTEM);
    expect(names(await second)).toHaveLength(3);
    // An asker's own deadline is its own error, as without the cache.
    const { cluster: other, lists: otherLists } = scripted();
    await expect(other.list('pods', { namespace: 'kube-system' }, { timeoutMs: 1 })).rejects.toMatchObject({
      kind: 'timeout',
      message: 'no answer within 1 ms',
    });
    expect(otherLists[0]?.opts?.signal?.aborted).toBe(false);
  });

  it('the run closing ends the shared list', async () => {
    const { cluster, lists } = scripted();
    const asker = cluster.list('pods', { namespace: 'kube-system' });
    await settled();
    cluster.close();
    expect(lists[0]?.opts?.signal?.aborted).toBe(true);
    lists[0]?.fail(new ClusterError('aborted', 'cancelled'));
    await expect(asker).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('`fresh` (a failure judged on the state now), another namespace, set-based selectors: the server', async () => {
    const { cluster, lists } = scripted();
    void cluster.list('pods', { namespace: 'kube-system' });
    void cluster.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }, { fresh: true });
    void cluster.list('pods', { namespace: 'kube-public' });
    void cluster.list('pods', { namespace: 'kube-system', labelSelector: 'component in (etcd)' });
    await settled();
    expect(lists.map((l) => l.selector)).toEqual([
      { namespace: 'kube-system' },
      { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' },
      { namespace: 'kube-public' },
      { namespace: 'kube-system', labelSelector: 'component in (etcd)' },
    ]);
  });

  it('kube-system too large for one list: selected lists go to the server with their own selector', async () => {
    const { cluster, lists } = scripted();
    const shape = cluster.list('pods', { namespace: 'kube-system' });
    const etcd = cluster.list('pods', { namespace: 'kube-system', labelSelector: 'component=etcd' });
    await settled();
    lists[0]?.fail(new ClusterError('too-large', 'the list is larger than 8388608 bytes; not read further'));
    await expect(shape).rejects.toMatchObject({ kind: 'too-large' });
    await settled();
    expect(lists[1]?.selector).toEqual({ namespace: 'kube-system', labelSelector: 'component=etcd' });
    lists[1]?.answer([KUBE_SYSTEM[0] as KubeObject]);
    expect(names(await etcd)).toEqual(['etcd-cp']);
    // Later selected lists go straight to the server (no second unselected list).
    void cluster.list('pods', { namespace: 'kube-system', labelSelector: 'component=kube-apiserver' });
    await settled();
    expect(lists.map((l) => l.selector.labelSelector)).toEqual([
      undefined,
      'component=etcd',
      'component=kube-apiserver',
    ]);
  });
});

describe('the server version: one read, not under the first caller signal', () => {
  it('the first caller cancelled, the second still gets the version from the same request', async () => {
    const { cluster, versions } = scripted();
    const cancelled = new AbortController();
    const first = cluster.version({ signal: cancelled.signal });
    const second = cluster.version({ timeoutMs: 10_000 });
    await settled();
    expect(versions).toHaveLength(1);
    cancelled.abort();
    await expect(first).rejects.toMatchObject({ kind: 'aborted' });
    expect(versions[0]?.opts?.signal?.aborted).toBe(false);
    versions[0]?.answer();
    await expect(second).resolves.toMatchObject({ gitVersion: 'v1.32.0' });
    expect(versions).toHaveLength(1);
  });
});
