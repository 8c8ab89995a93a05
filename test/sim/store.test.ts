import { describe, expect, it } from 'vitest';
import type { KubeObj, WatchEvent } from './contracts.js';
import {
  createMemoryStore,
  jsonPatch,
  mergePatch,
  nameSuffixAlphabet,
  StatusError,
  strategicMergePatch,
} from './store/index.js';
import { parseFieldSelector, parseLabelSelector } from './store/selectors.js';

const pod = (name: string, extra: Partial<KubeObj['metadata']> = {}): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...extra },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
});

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('memory store', () => {
  it('assigns uid, creationTimestamp and one cluster-wide increasing resourceVersion', () => {
    const store = createMemoryStore();
    const a = store.create('pods', pod('a'));
    const cm = store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'default' },
    });
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(cm.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.resourceVersion()).toBe(Number(cm.metadata.resourceVersion));
  });

  it('names generateName objects with a 5-character suffix from the real alphabet', () => {
    const store = createMemoryStore();
    const p = store.create('pods', pod('', { generateName: 'web-578474b6fc-' }));
    expect(p.metadata.name).toMatch(new RegExp(`^web-578474b6fc-[${nameSuffixAlphabet}]{5}$`));
  });

  it('returns the real NotFound, AlreadyExists and Conflict statuses', () => {
    const store = createMemoryStore();
    const created = store.create('pods', pod('x'));
    expect(thrown(() => store.create('pods', pod('x'))).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" already exists',
      reason: 'AlreadyExists',
      details: { name: 'x', kind: 'pods' },
      code: 409,
    });
    store.update('pods', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    const stale = thrown(() =>
      store.update('pods', { ...created, metadata: { ...created.metadata, labels: { a: 'c' } } }),
    );
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    const missing = thrown(() => store.delete('deployments', 'default', 'nope'));
    expect(missing.toStatus()).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });

  it('rejects a deployment whose selector does not match its template with 422 Invalid and causes', () => {
    const store = createMemoryStore();
    const err = thrown(() =>
      store.create('deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'w', image: 'x:1' }] } },
        },
      }),
    );
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    );
    expect(err.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
    });
  });

  it('bumps generation only when a deployment spec changes, and fills deployment defaults', () => {
    const store = createMemoryStore();
    const d = store.create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'w', image: 'x:1' }] } },
      },
    });
    expect(d.metadata.generation).toBe(1);
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    const statusOnly = store.update('deployments', { ...d, status: { observedGeneration: 1 } });
    expect(statusOnly.metadata.generation).toBe(1);
    const scaled = store.update('deployments', { ...statusOnly, spec: { ...statusOnly.spec, replicas: 4 } });
    expect(scaled.metadata.generation).toBe(2);
  });

  it('gives Services a ClusterIP from the service CIDR, the well-known ones to kubernetes and kube-dns, and NodePorts in range', () => {
    const store = createMemoryStore();
    const svc = (namespace: string, name: string, type = 'ClusterIP') =>
      store.create('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace },
        spec: { type, ports: [{ port: 80, targetPort: 8080 }] },
      });
    expect(svc('default', 'kubernetes').spec.clusterIP).toBe('10.96.0.1');
    expect(svc('kube-system', 'kube-dns').spec.clusterIP).toBe('10.96.0.10');
    const np = svc('default', 'web-np', 'NodePort');
    expect(np.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(np.spec.ports[0].protocol).toBe('TCP');
  });

  it('keeps a finalized object with a deletionTimestamp until its finalizers are removed', () => {
    const store = createMemoryStore();
    const p = store.create('pods', pod('f', { finalizers: ['example.com/hold'] }));
    const marked = store.delete('pods', 'default', 'f')!;
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(store.get('pods', 'default', 'f')).toBeDefined();
    store.update('pods', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(store.get('pods', 'default', 'f')).toBeUndefined();
    expect(p.metadata.uid).toBeDefined();
  });

  it('marks a deleted namespace Terminating with the kubernetes finalizer until it is finalized', () => {
    const store = createMemoryStore();
    const ns = store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'demo' });
    const terminating = store.delete('namespaces', undefined, 'demo')!;
    expect(terminating.status.phase).toBe('Terminating');
    store.update('namespaces', { ...terminating, spec: { finalizers: [] } });
    expect(store.get('namespaces', undefined, 'demo')).toBeUndefined();
  });

  it('replays history to a watch resuming from a resourceVersion, and expires one that is too old', () => {
    const store = createMemoryStore({ historyLimit: 3 });
    const first = store.create('pods', pod('p0'));
    const seen: WatchEvent[] = [];
    const stop = store.watch('pods', 'default', (e) => seen.push(e), Number(first.metadata.resourceVersion));
    for (let i = 1; i <= 4; i++) store.create('pods', pod(`p${i}`));
    stop();
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED p1',
      'ADDED p2',
      'ADDED p3',
      'ADDED p4',
    ]);
    const err = thrown(() => store.watch('pods', undefined, () => {}, Number(first.metadata.resourceVersion)));
    expect(err.toStatus()).toMatchObject({ code: 410, reason: 'Expired' });
    expect(err.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it('delivers events in order even when a watcher writes from its callback', () => {
    const store = createMemoryStore();
    const order: string[] = [];
    store.watch('pods', undefined, (e) => {
      order.push(`a:${e.object.metadata.name}`);
      if (e.object.metadata.name === 'one') store.create('pods', pod('two'));
    });
    store.watch('pods', undefined, (e) => order.push(`b:${e.object.metadata.name}`));
    store.create('pods', pod('one'));
    expect(order).toEqual(['a:one', 'b:one', 'a:two', 'b:two']);
  });

  it('fills pod defaults and the service account admission', () => {
    const store = createMemoryStore();
    const p = store.create('pods', pod('d'));
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      serviceAccountName: 'default',
    });
    expect(p.spec.containers[0]).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      imagePullPolicy: 'IfNotPresent',
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });
});

describe('selectors', () => {
  const o = (labels: Record<string, string>): KubeObj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'n', namespace: 'ns', labels },
    spec: { nodeName: 'worker-0' },
    status: { phase: 'Running' },
  });

  it('understands =, ==, !=, in, notin, exists and !key', () => {
    const m = (s: string) => parseLabelSelector(s)(o({ app: 'web', tier: 'front' }));
    expect(m('app=web')).toBe(true);
    expect(m('app==web,tier!=back')).toBe(true);
    expect(m('app in (web, api)')).toBe(true);
    expect(m('tier notin (front)')).toBe(false);
    expect(m('app')).toBe(true);
    expect(m('!app')).toBe(false);
    expect(m('!missing,app')).toBe(true);
  });

  it('matches field selectors on metadata, spec.nodeName and status.phase', () => {
    const m = (s: string) => parseFieldSelector(s)(o({}));
    expect(m('metadata.name=n,metadata.namespace=ns')).toBe(true);
    expect(m('spec.nodeName=worker-0')).toBe(true);
    expect(m('status.phase!=Running')).toBe(false);
  });
});

describe('patches', () => {
  it('merges containers by name in a strategic merge patch and honours $patch: delete', () => {
    const target = {
      spec: {
        containers: [
          { name: 'a', image: 'x:1' },
          { name: 'b', image: 'y:1' },
        ],
      },
    };
    const out = strategicMergePatch(target, {
      spec: {
        containers: [
          { name: 'a', image: 'x:2' },
          { name: 'b', $patch: 'delete' },
        ],
        '$setElementOrder/containers': [{ name: 'a' }],
      },
    });
    expect(out).toEqual({ spec: { containers: [{ name: 'a', image: 'x:2' }] } });
  });

  it('applies merge patch nulls as deletions and JSON patch operations in order', () => {
    expect(mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null }, d: 3 })).toEqual({ a: 1, b: {}, d: 3 });
    expect(
      jsonPatch({ spec: { replicas: 1 } }, [
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata', value: { labels: {} } },
      ]),
    ).toEqual({ spec: { replicas: 4 }, metadata: { labels: {} } });
  });
});

describe('graceful pod deletion', () => {
  const bound = (name: string): KubeObj => ({
    ...pod(name),
    spec: { ...pod(name).spec, nodeName: 'worker-0', terminationGracePeriodSeconds: 30 },
  });

  it('marks a pod bound to a node Terminating until it is deleted again with grace 0', () => {
    const store = createMemoryStore();
    store.create('pods', bound('g'));
    const marked = store.delete('pods', 'default', 'g')!;
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(Date.parse(marked.metadata.deletionTimestamp!) - Date.now()).toBeGreaterThan(25_000);
    const statusWrite = store.update('pods', { ...marked, status: { phase: 'Running' } });
    expect(
      statusWrite.metadata.deletionTimestamp,
      'a status write during the grace period keeps the pod',
    ).toBeDefined();
    store.delete('pods', 'default', 'g', { gracePeriodSeconds: 0 });
    expect(store.get('pods', 'default', 'g')).toBeUndefined();
  });

  it('removes an unscheduled pod at once, and stores nothing on a dry run', () => {
    const store = createMemoryStore();
    store.create('pods', pod('pending'));
    store.delete('pods', 'default', 'pending', { dryRun: true });
    expect(store.get('pods', 'default', 'pending')).toBeDefined();
    store.delete('pods', 'default', 'pending');
    expect(store.get('pods', 'default', 'pending')).toBeUndefined();
  });
});
