import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from './index.js';
import { rawRequest } from './sim-http.test-helper.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true, user: 'alice' });
});
afterAll(async () => {
  await sim.stop();
});

const get = (path: string, opts?: Parameters<typeof rawRequest>[3]) => rawRequest(sim, 'GET', path, opts);

describe('simulated API server transport', () => {
  it('refuses a wrong or missing token with the exact 401 Status body', async () => {
    for (const token of ['wrong', null]) {
      const res = await get('/api/v1/namespaces', { token });
      expect(res.status, res.text).toBe(401);
      expect(res.text).toBe(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
      );
    }
  });

  it('serves /version, /readyz?verbose and /livez like kube-apiserver', async () => {
    const version = await get('/version');
    expect(version.json().gitVersion, version.text).toMatch(/^v1\.32\.\d+$/);
    const readyz = await get('/readyz?verbose');
    expect(readyz.text).toMatch(/^\[\+\]ping ok\n/);
    expect(readyz.text.endsWith('readyz check passed\n'), readyz.text).toBe(true);
    expect((await get('/livez')).text).toBe('ok');
  });

  it('lists resources with their verbs, short names and subresources in discovery', async () => {
    const core = (await get('/api/v1')).json();
    const pods = core.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'] });
    expect(core.resources.find((r: { name: string }) => r.name === 'pods/exec')).toMatchObject({
      kind: 'PodExecOptions',
      verbs: ['create', 'get'],
    });
    const apps = (await get('/apis/apps/v1')).json();
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const groups = (await get('/apis')).json().groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining([
        'apps',
        'discovery.k8s.io',
        'coordination.k8s.io',
        'events.k8s.io',
        'authorization.k8s.io',
      ]),
    );
  });

  it('counts requests by verb and resource and reports apiserver_request_total', async () => {
    await get('/api/v1/namespaces/default/pods');
    const accounting = sim.accounting();
    expect(accounting.requests.list?.pods, JSON.stringify(accounting)).toBeGreaterThan(0);
    const metrics = await get('/metrics');
    expect(metrics.text).toMatch(
      /apiserver_request_total\{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"\} \d+/,
    );
  });
});

describe('simulated API server through @kubernetes/client-node', () => {
  it('creates, reads and lists namespaces and reports 404 with the real Status', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'client-node' } } });
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toContain('client-node');
    const err = await core.readNamespacedPod({ name: 'nope', namespace: 'client-node' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 404 });
    expect(JSON.parse((err as { body: string }).body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });
});

describe('simulated API server details clients rely on', () => {
  it('appends the storage transformation counters to /metrics after a Secret write', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'metrics' } } });
    const created = await rawRequest(sim, 'POST', '/api/v1/namespaces/metrics/secrets', {
      body: { metadata: { name: 's' }, stringData: { k: 'v' } },
    });
    expect(created.status, created.text).toBe(201);
    const metrics = await get('/metrics');
    expect(metrics.text).toMatch(
      /apiserver_storage_transformation_operations_total\{[^}]*transformation_type="to_storage"[^}]*\} \d+/,
    );
  });

  it('serves core events through events.k8s.io/v1 with the renamed fields', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces/metrics/events', {
      body: {
        metadata: { name: 'e1' },
        involvedObject: { kind: 'Pod', name: 'p', namespace: 'metrics' },
        reason: 'Scheduled',
        message: 'Successfully assigned metrics/p to worker-0',
        type: 'Normal',
        source: { component: 'default-scheduler' },
      },
    });
    const res = await get('/apis/events.k8s.io/v1/namespaces/metrics/events');
    expect(res.json().items[0], res.text).toMatchObject({
      reason: 'Scheduled',
      note: 'Successfully assigned metrics/p to worker-0',
      regarding: { kind: 'Pod', name: 'p' },
      reportingController: 'default-scheduler',
    });
  });

  it('prints a server-side Table when kubectl asks for one', async () => {
    const res = await get('/api/v1/namespaces', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = res.json();
    expect(table.kind, res.text).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.rows.find((r: { cells: string[] }) => r.cells[0] === 'metrics').cells[1]).toBe('Active');
  });

  it('delays every request by the api latency knob', async () => {
    sim.setLatencies({ apiLatencyMs: 150 });
    try {
      const started = Date.now();
      await get('/api/v1/namespaces');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      sim.setLatencies({ apiLatencyMs: 0 });
    }
  });
});
