import {
  AppsV1Api,
  CoreV1Api,
  type Informer,
  KubeConfig,
  makeInformer,
  type ObjectCache,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from './index.js';

let sim: SimCluster;
let kc: KubeConfig;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true });
  kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'cn' } } });
});
afterAll(async () => {
  await sim.stop();
});

/** Resolves when the predicate holds after some event, or fails at the deadline. */
function until(check: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() - started > deadlineMs) return reject(new Error(`timed out waiting for ${what}`));
      setImmediate(poll);
    };
    poll();
  });
}

describe('@kubernetes/client-node against the simulated API server', () => {
  it('receives ADDED and MODIFIED events through Watch', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const events: string[] = [];
    const req = await new Watch(kc).watch(
      '/api/v1/namespaces/cn/configmaps',
      {},
      (type, obj: V1ConfigMap) => events.push(`${type} ${obj.metadata?.name} ${obj.data?.k ?? ''}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'one' }, data: { k: 'a' } } });
    await core.patchNamespacedConfigMap({
      name: 'one',
      namespace: 'cn',
      body: [{ op: 'replace', path: '/data/k', value: 'b' }],
    });
    await until(() => events.length >= 2, `two events, got ${JSON.stringify(events)}`);
    req.abort();
    expect(events).toEqual(['ADDED one a', 'MODIFIED one b']);
  });

  it('keeps an informer cache in sync through list and watch', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    // makeInformer returns a ListWatch, which is also the object cache.
    const informer = makeInformer(kc, '/api/v1/namespaces/cn/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'cn' }),
    ) as Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'two' } } });
    await until(() => informer.list('cn').some((c) => c.metadata?.name === 'two'), 'the informer to see configmap two');
    await core.deleteNamespacedConfigMap({ name: 'two', namespace: 'cn' });
    await until(
      () => !informer.list('cn').some((c) => c.metadata?.name === 'two'),
      'the informer to drop configmap two',
    );
    await informer.stop();
  });

  it('scales a deployment through the scale subresource and bumps its generation', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'cn',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'agnhost:2.52' }] },
          },
        },
      },
    });
    const scale = await apps.patchNamespacedDeploymentScale({
      name: 'web',
      namespace: 'cn',
      body: [{ op: 'replace', path: '/spec/replicas', value: 4 }],
    });
    expect(scale.spec?.replicas).toBe(4);
    expect(scale.status?.selector).toBe('app=web');
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'cn' });
    expect(d.spec?.replicas).toBe(4);
    expect(d.metadata?.generation).toBe(2);
  });

  it('pages through a list with limit and continue', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    for (const n of ['p1', 'p2', 'p3'])
      await core.createNamespacedConfigMap({
        namespace: 'cn',
        body: { metadata: { name: n, labels: { page: 'yes' } } },
      });
    const first = await core.listNamespacedConfigMap({ namespace: 'cn', labelSelector: 'page', limit: 2 });
    expect(first.items.map((i) => i.metadata?.name)).toEqual(['p1', 'p2']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const rest = await core.listNamespacedConfigMap({
      namespace: 'cn',
      labelSelector: 'page',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(rest.items.map((i) => i.metadata?.name)).toEqual(['p3']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('answers a Secret write only once storage holds it', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'cn',
      body: { metadata: { name: 'marker' }, stringData: { value: 'plain-marker' } },
    });
    if (!sim.secretStorage) return;
    const stored = await sim.secretStorage.storedValue('cn', 'marker');
    expect(stored?.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(stored?.includes('plain-marker')).toBe(true);
  });
});
