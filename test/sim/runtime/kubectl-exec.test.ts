/**
 * The real /usr/bin/kubectl (v1.32, WebSocket v5 first, SPDY fallback) against the runtime's
 * exec and log endpoints, routed by the bare test server; the messages are REAL-SYMPTOMS.md's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmokeCluster, type SmokeCluster } from './test-support/smoke-cluster.js';
import { type StreamServer, startStreamServer } from './test-support/stream-server.js';

const KUBECTL = '/usr/bin/kubectl';

describe('kubectl exec and logs against the simulated kubelet', () => {
  let cluster: SmokeCluster;
  let server: StreamServer;
  let dir: string;

  const kubectl = (args: string[], input = '') =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        KUBECTL,
        ['--kubeconfig', path.join(dir, 'kubeconfig'), ...args],
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input);
    });

  beforeAll(async () => {
    cluster = createSmokeCluster();
    server = await startStreamServer(cluster.store, cluster.runtime);
    dir = mkdtempSync(path.join(tmpdir(), 'kubectl-exec-'));
    writeFileSync(
      path.join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: ${server.url}\nusers:\n- name: tester\n  user:\n    token: sim-token\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: tester\n    namespace: default\ncurrent-context: sim\n`,
    );
  });
  afterAll(async () => {
    await server.close();
    cluster.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs seed 000 step 2 in the client pod: wget by Service name', async () => {
    const out = await kubectl([
      'exec',
      'client',
      '--',
      'sh',
      '-c',
      'for i in 1 2 3; do wget -qO- http://web/hostname; echo; done',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^(web-578474b6fc-\w{5}\n){3}$/);
  });

  it('passes a non-zero exit code through, and stdin with -i', async () => {
    expect(await kubectl(['exec', 'client', '--', 'sh', '-c', 'exit 3'])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'command terminated with exit code 3\n',
    });
    expect((await kubectl(['exec', '-i', 'client', '--', 'cat'], 'typed\n')).stdout).toBe('typed\n');
  });

  it('prints the containerd error for a missing binary', async () => {
    const out = await kubectl(['exec', 'web-578474b6fc-8rsb8', '--', 'curl', 'http://web']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /^error: Internal error occurred: error executing command in container: .*exec: "curl": executable file not found in \$PATH: unknown\n$/,
    );
  });

  it('shows the kubelet RBAC refusal for exec and logs', async () => {
    cluster.faults.enable('kubelet-rbac-denied');
    try {
      expect((await kubectl(['exec', 'client', '--', 'hostname'])).stderr).toBe(
        'error: unable to upgrade connection: Forbidden (user=kube-apiserver-kubelet-client, verb=create, resource=nodes, subresource=proxy)\n',
      );
      expect((await kubectl(['logs', 'web-578474b6fc-8rsb8'])).stderr).toBe(
        'Error from server (Forbidden): Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log web-578474b6fc-8rsb8)\n',
      );
    } finally {
      cluster.faults.disable('kubelet-rbac-denied');
    }
  });
});
