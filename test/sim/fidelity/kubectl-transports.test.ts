/**
 * kubectl v1.32's own streaming transports against the simulated cluster (issue 9 item 6):
 * - port-forward through a WebSocket tunnelling SPDY (`SPDY/3.1+portforward.k8s.io`, kubectl's
 *   default since 1.31), through plain SPDY (KUBECTL_PORT_FORWARD_WEBSOCKETS=false), and the
 *   fallback from the first to the second when the API server is older than the tunnel (1.30);
 * - exec over SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false): stdout, stderr, stdin, exit codes.
 * Protocol sources are cited in test/sim/runtime/spdy/*.ts.
 */
import { describe, expect, it } from 'vitest';
import { hasKubectl, seedManifest } from '../kubectl.test-helper.js';
import { freeLoopbackPort, httpGet, startPortForward } from '../kubectl-port-forward.test-helper.js';
import { useSimWithKubectl } from './sim-kubectl.test-helper.js';

const latencies = { podStartMs: 20, endpointDelayMs: 10, dnsLatencyMs: 0 };
const SPDY_EXEC = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
const SPDY_PORT_FORWARD = { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' };

async function forwardAndGet(env: ReturnType<typeof useSimWithKubectl>, target: string, extraEnv = {}) {
  const port = await freeLoopbackPort();
  const pf = startPortForward(env.k, [target, `${port}:80`], extraEnv);
  try {
    await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 8080`));
    const first = await httpGet(port, '/hostname');
    const second = await httpGet(port, '/echo?msg=through-the-tunnel');
    return { first, second, output: pf.output() };
  } finally {
    await pf.stop();
  }
}

describe.runIf(hasKubectl)('kubectl port-forward and SPDY exec on v1.32', () => {
  const env = useSimWithKubectl({ latencies });

  it('rolls the seed out', async () => {
    await env.k.ok(['apply', '-f', '-'], seedManifest);
    await env.k.ok(['rollout', 'status', 'deploy/web', '--timeout=30s']);
  });

  it('forwards svc/web through the WebSocket-tunnelled SPDY (the default)', async () => {
    const pods = (await env.k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(
      ' ',
    );
    const { first, second, output } = await forwardAndGet(env, 'svc/web');
    expect(first.status).toBe(200);
    expect(pods).toContain(first.body);
    expect(second.body).toBe('through-the-tunnel');
    expect(output.stdout).toMatch(/Handling connection for \d+\n/);
  });

  it('forwards over plain SPDY when WebSockets are off', async () => {
    const { first, second } = await forwardAndGet(env, 'svc/web', SPDY_PORT_FORWARD);
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^web-/);
    expect(second.body).toBe('through-the-tunnel');
  });

  // Which transport carried it shows in authorization: the tunnel is a WebSocket GET (`get`),
  // plain SPDY a POST (`create`) — server/request-info.ts.
  it('uses the tunnel (get) by default and SPDY (create) when told, as authorization shows', async () => {
    env.sim.faults.enable('rbac-missing:create:pods/portforward');
    try {
      expect((await forwardAndGet(env, 'svc/web')).first.body).toMatch(/^web-/);
      const port = await freeLoopbackPort();
      const denied = startPortForward(env.k, ['svc/web', `${port}:80`], SPDY_PORT_FORWARD);
      await denied.waitFor(/cannot create resource "pods\/portforward"/);
      await denied.stop();
    } finally {
      env.sim.faults.disable('rbac-missing:create:pods/portforward');
    }
    env.sim.faults.enable('rbac-missing:get:pods/portforward');
    try {
      // The tunnel's 403 is an upgrade failure: kubectl falls back to SPDY, which is allowed.
      expect((await forwardAndGet(env, 'svc/web')).first.body).toMatch(/^web-/);
      expect((await forwardAndGet(env, 'svc/web', SPDY_PORT_FORWARD)).first.body).toMatch(/^web-/);
    } finally {
      env.sim.faults.disable('rbac-missing:get:pods/portforward');
    }
  });

  it('reports a port nothing listens on the way the kubelet does', async () => {
    const pod = await env.k.ok(['get', 'pod', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const port = await freeLoopbackPort();
    const pf = startPortForward(env.k, [`pod/${pod}`, `${port}:9999`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
      await httpGet(port, '/').catch(() => undefined);
      await pf.waitFor(
        /an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod [^,]+, uid : failed to connect to localhost:9999 inside namespace .*connect: connection refused/,
      );
      // kubectl 1.32 gives up on the whole forward after an error from the kubelet.
      await pf.waitFor(/error: lost connection to pod\n/);
    } finally {
      await pf.stop();
    }
  });

  it('execs over SPDY: stdout, stderr, stdin and the exit code', async () => {
    const pod = await env.k.ok(['get', 'pod', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const hostname = await env.k.run(['exec', pod, '--', 'hostname'], undefined, SPDY_EXEC);
    expect(hostname).toEqual({ stdout: `${pod}\n`, stderr: '', code: 0 });

    await env.k.ok(['run', 'shell', '--image=busybox:1.36', '--restart=Never', '--command', '--', 'sleep', '3600']);
    await env.k.ok(['wait', '--for=condition=Ready', 'pod/shell', '--timeout=30s']);
    const both = await env.k.run(
      ['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
      undefined,
      SPDY_EXEC,
    );
    expect(both.stdout).toBe('out\n');
    expect(both.stderr).toBe('err\ncommand terminated with exit code 3\n');
    expect(both.code).toBe(3);
    const piped = await env.k.run(['exec', '-i', 'shell', '--', 'cat'], 'fed through stdin\n', SPDY_EXEC);
    expect(piped).toEqual({ stdout: 'fed through stdin\n', stderr: '', code: 0 });
  });
});

describe.runIf(hasKubectl)('kubectl port-forward against a v1.30 API server (no SPDY tunnel)', () => {
  const env = useSimWithKubectl({ latencies, serverVersion: 'v1.30.0' });

  it('falls back from the WebSocket tunnel to plain SPDY', async () => {
    await env.k.ok(['apply', '-f', '-'], seedManifest);
    await env.k.ok(['rollout', 'status', 'deploy/web', '--timeout=30s']);
    const { first } = await forwardAndGet(env, 'svc/web');
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^web-/);
    // Proof that SPDY carried it: without `create` the fallback, and so the forward, fails.
    env.sim.faults.enable('rbac-missing:create:pods/portforward');
    try {
      const port = await freeLoopbackPort();
      const denied = startPortForward(env.k, ['svc/web', `${port}:80`]);
      await denied.waitFor(/cannot create resource "pods\/portforward"/);
      await denied.stop();
    } finally {
      env.sim.faults.disable('rbac-missing:create:pods/portforward');
    }
  });
});
