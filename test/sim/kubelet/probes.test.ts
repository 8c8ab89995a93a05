/**
 * Issue 9 item 3, probes, driven with the real kubectl: the kubelet runs startup, readiness and
 * liveness probes as the pod specifies them (a startup probe holds the others back), the HTTP probe reaches agnhost netexec (which logs each
 * `GET /hostname`, whoever asked), and failures show the kubelet's real events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimCluster } from '../index.js';
import { hasKubectl, kubectlSimPerFile } from '../kubectl.test-helper.js';

const NS = 'probes';
const file = kubectlSimPerFile({ beforeAll, afterAll }, () => startSimCluster(), NS);

const agnhostPod = (name: string, probes: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  containers:
    - name: web
      image: registry.k8s.io/e2e-test-images/agnhost:2.52
      args: ["netexec", "--http-port=8080"]
${probes}`;

const applyPod = (name: string, probes: string) => file.k.ok(['apply', '-f', '-'], agnhostPod(name, probes));
const podJson = async (name: string) => JSON.parse(await file.k.ok(['get', 'pod', name, '-n', NS, '-o', 'json']));
const eventsOf = (name: string) =>
  file.k
    .ok(['get', 'events', '-n', NS, '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])
    .then((out) => JSON.parse(out).items as Array<{ reason: string; message: string; type: string }>);

describe.skipIf(!hasKubectl)('probes (kubectl)', () => {
  it('an HTTP readiness probe reaches the container: Ready after it passes, and agnhost logs each GET /hostname', async () => {
    await file.k.ok(
      ['apply', '-f', '-'],
      agnhostPod(
        'ready',
        '      readinessProbe:\n        httpGet: { path: /hostname, port: 8080 }\n        periodSeconds: 1\n',
      ),
    );
    await file.k.ok(['wait', '--for=condition=Ready', 'pod/ready', '-n', NS, '--timeout=30s']);
    // Nobody but the kubelet called this pod: the lines are the probe's.
    const log = await file.k.eventually(
      ['logs', 'ready', '-n', NS],
      (out) => out.split('\n').filter((l) => l.endsWith('] GET /hostname')).length >= 3,
    );
    expect(log).toMatch(/^I\d{4} [\d:.]+ +1 log\.go:245\] GET \/hostname$/m);
  });

  it('a failing readiness probe keeps the pod unready with Unhealthy events naming the refused dial', async () => {
    await file.k.ok(
      ['apply', '-f', '-'],
      agnhostPod(
        'unready',
        '      readinessProbe:\n        httpGet: { path: /hostname, port: 9999 }\n        periodSeconds: 1\n',
      ),
    );
    const events = await waitForEvents('unready', (e) => e.some((x) => x.reason === 'Unhealthy'));
    const pod = await podJson('unready');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses[0].ready).toBe(false);
    expect(pod.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    const ip = pod.status.podIP;
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      type: 'Warning',
      message: `Readiness probe failed: Get "http://${ip}:9999/hostname": dial tcp ${ip}:9999: connect: connection refused`,
    });
  });

  it('a failing liveness probe restarts the container with the kubelet Killing event', async () => {
    await file.k.ok(
      ['apply', '-f', '-'],
      agnhostPod(
        'unhealthy',
        '      livenessProbe:\n        httpGet: { path: "/echo?msg=sick&code=500", port: 8080 }\n        periodSeconds: 1\n        failureThreshold: 2\n',
      ),
    );
    const events = await waitForEvents('unhealthy', (e) => e.some((x) => x.reason === 'Killing'));
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      type: 'Warning',
      message: 'Liveness probe failed: HTTP probe failed with statuscode: 500',
    });
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed liveness probe, will be restarted',
    );
    await file.k.eventually(
      ['get', 'pod', 'unhealthy', '-n', NS, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'],
      (n) => Number(n) >= 1,
    );
    const log = await file.k.ok(['logs', 'unhealthy', '-n', NS, '--previous']);
    expect(log).toContain('] GET /echo?msg=sick&code=500\n');
  });

  it('an exec readiness probe fails with the command output', async () => {
    await file.k.ok(
      ['apply', '-f', '-'],
      agnhostPod(
        'exec-probe',
        '      readinessProbe:\n        exec: { command: ["cat", "/tmp/healthy"] }\n        periodSeconds: 1\n',
      ),
    );
    const events = await waitForEvents('exec-probe', (e) => e.some((x) => x.reason === 'Unhealthy'));
    expect(events.find((e) => e.reason === 'Unhealthy')?.message).toBe(
      "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    );
  });

  it('a startup probe holds readiness back: started, then ready, with the API defaults filled in', async () => {
    await applyPod(
      'starting',
      '      startupProbe:\n        httpGet: { path: /healthz, port: 8080 }\n        periodSeconds: 1\n' +
        '      readinessProbe:\n        httpGet: { path: /hostname, port: 8080 }\n        periodSeconds: 1\n',
    );
    await file.k.ok(['wait', '--for=condition=Ready', 'pod/starting', '-n', NS, '--timeout=30s']);
    const pod = await podJson('starting');
    expect(pod.spec.containers[0].startupProbe).toEqual({
      httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 1,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(pod.status.containerStatuses[0]).toMatchObject({ started: true, ready: true });
    // The startup probe ran once (it stops at its first success), before any readiness probe.
    const log = await file.k.eventually(['logs', 'starting', '-n', NS], (out) => out.includes('] GET /hostname'));
    const requests = log
      .split('\n')
      .map((l) => /\] (GET \S+)$/.exec(l)?.[1])
      .filter(Boolean);
    expect(requests[0]).toBe('GET /healthz');
    expect(requests.filter((r) => r === 'GET /healthz')).toHaveLength(1);
  });

  it('a failing startup probe keeps the container unstarted and unready, runs no other probe, then restarts it', async () => {
    await applyPod(
      'never-starts',
      '      startupProbe:\n        tcpSocket: { port: 9999 }\n        periodSeconds: 1\n        failureThreshold: 3\n' +
        '      readinessProbe:\n        httpGet: { path: /hostname, port: 8080 }\n        periodSeconds: 1\n' +
        '      livenessProbe:\n        httpGet: { path: /hostname, port: 8080 }\n        periodSeconds: 1\n',
    );
    const unhealthy = await waitForEvents('never-starts', (e) => e.some((x) => x.reason === 'Unhealthy'));
    const pod = await podJson('never-starts');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.containerStatuses[0]).toMatchObject({ started: false, ready: false });
    const ip = pod.status.podIP;
    expect(unhealthy.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      type: 'Warning',
      message: `Startup probe failed: dial tcp ${ip}:9999: connect: connection refused`,
    });
    const events = await waitForEvents('never-starts', (e) => e.some((x) => x.reason === 'Killing'));
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed startup probe, will be restarted',
    );
    expect(
      events.filter((e) => e.reason === 'Unhealthy').every((e) => e.message.startsWith('Startup probe failed:')),
    ).toBe(true);
    await file.k.eventually(
      ['get', 'pod', 'never-starts', '-n', NS, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'],
      (n) => Number(n) >= 1,
    );
    // Neither readiness nor liveness reached agnhost while the container had not started.
    const log = await file.k.ok(['logs', 'never-starts', '-n', NS, '--previous']);
    expect(log).not.toContain('GET /hostname');
  });
});

async function waitForEvents(
  name: string,
  done: (events: Array<{ reason: string; message: string; type: string }>) => boolean,
): Promise<Array<{ reason: string; message: string; type: string }>> {
  const until = Date.now() + 20_000;
  for (;;) {
    const events = await eventsOf(name);
    if (done(events) || Date.now() > until) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
}
