/**
 * Issue 9 item 7: query parameters parsed like apimachinery. Booleans: only absent, `0` and
 * `false` are false (the Python client sends `watch=True`; exec's stdout is off unless asked
 * for); bad resourceVersionMatch and unsupported field selectors get the real refusals; a watch
 * from a resourceVersion older than the watch cache gets a 410 Expired ERROR event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SimCluster, startSimCluster } from '../index.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';
import { openWatch, rawRequest } from '../sim-http.test-helper.js';
import { hasPythonClient, runPythonProbe } from './python.test-helper.js';

describe.runIf(hasPythonClient)('query parameters through the Python client', () => {
  let sim: SimCluster;
  beforeAll(async () => {
    sim = await startSimCluster({ apiOnly: true });
    await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'probe' } } });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('watches with watch=True, refuses bad list options and too-old versions as the real server does', async () => {
    const seen = await runPythonProbe('query_probe.py', sim.kubeconfig);
    expect(seen.watchEvents).toEqual([['ADDED', 'probe']]);
    expect(seen.tooOld).toEqual({
      status: 410,
      reason: expect.stringMatching(/^Expired: too old resource version: 1 \(\d+\)$/),
    });
    expect(seen.matchWithoutVersion).toEqual({
      status: 422,
      reason: 'Invalid',
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    });
    expect(seen.matchBogus.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""',
    );
    expect(seen.matchNotOlderThan).toEqual({ status: 200 });
    expect(seen.podField).toEqual({
      status: 400,
      reason: 'BadRequest',
      message: 'field label not supported: spec.foo',
    });
    expect(seen.podPhase).toEqual({ status: 200 });
    expect(seen.configMapField).toEqual({
      status: 400,
      reason: 'BadRequest',
      message: '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"',
    });
  });
});

describe('booleans and too-old watches over raw HTTP', () => {
  let sim: SimCluster;
  beforeAll(async () => {
    sim = await startSimCluster({ apiOnly: true });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('treats ?watch (empty), watch=yes and watch=True as true, watch=0 and watch=FALSE as false', async () => {
    await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'seen' } } });
    for (const v of ['', 'yes', 'True']) {
      const w = await openWatch(sim, `/api/v1/namespaces?watch=${v}&timeoutSeconds=5`);
      expect((await w.next()).type, `watch=${v}`).toBe('ADDED');
      w.close();
    }
    for (const v of ['0', 'FALSE']) {
      const list = await rawRequest(sim, 'GET', `/api/v1/namespaces?watch=${v}`);
      expect(list.json().kind, `watch=${v}`).toBe('NamespaceList');
    }
  });

  it('answers a watch from before the watch cache with a 410 Expired ERROR event', async () => {
    const w = await openWatch(sim, '/api/v1/namespaces?watch=true&resourceVersion=1');
    const event = await w.next();
    w.close();
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    const current = (await rawRequest(sim, 'GET', '/api/v1/namespaces')).json().metadata.resourceVersion;
    const fresh = await openWatch(sim, `/api/v1/namespaces?watch=true&resourceVersion=${current}&timeoutSeconds=2`);
    await rawRequest(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'after' } } });
    expect(await fresh.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'after' } } });
    fresh.close();
  });
});

describe.runIf(hasKubectl)('kubectl field selectors and exec booleans', () => {
  let sim: SimCluster;
  let k: Kubectl;
  beforeAll(async () => {
    sim = await startSimCluster();
    k = createKubectl(sim.kubeconfig);
    await k.ok(['run', 'bb', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/bb', '--timeout=60s']);
  });
  afterAll(async () => {
    k?.dispose();
    await sim?.stop();
  });

  it('prints the server refusal for an unsupported field selector, and serves supported ones', async () => {
    const bad = await k.run(['get', 'pods', '--field-selector', 'spec.foo=bar']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error from server \(BadRequest\): .*field label not supported: spec\.foo\n$/);
    const deploy = await k.run(['get', 'deployments', '-A', '--field-selector', 'spec.replicas=1']);
    expect(deploy.stderr).toContain(
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(await k.ok(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name'])).toBe('pod/bb\n');
  });

  it('sends no stdout when an exec does not ask for it (absent is false)', async () => {
    const url = new URL(sim.url);
    const frames = (query: string) =>
      new Promise<Buffer[]>((resolve, reject) => {
        const ws = new WebSocket(
          `wss://${url.host}/api/v1/namespaces/default/pods/bb/exec?command=hostname&${query}`,
          ['v5.channel.k8s.io'],
          { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } },
        );
        const got: Buffer[] = [];
        ws.on('message', (d: Buffer) => got.push(Buffer.from(d)));
        ws.on('close', () => resolve(got));
        ws.on('error', reject);
      });
    const stdoutOf = (fs: Buffer[]) =>
      Buffer.concat(fs.filter((f) => f[0] === 1).map((f) => f.subarray(1))).toString('utf8');
    expect(stdoutOf(await frames('stdout=true&stderr=true'))).toBe('bb\n');
    const without = await frames('stderr=true');
    expect(stdoutOf(without)).toBe('');
    expect(without.some((f) => f[0] === 3)).toBe(true);
  });
});
