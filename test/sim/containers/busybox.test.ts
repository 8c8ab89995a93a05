/** busybox 1.36 behaviours the checks and people rely on, beyond the recorded fixtures. */
import { afterEach, describe, expect, it } from 'vitest';
import { waitForLogLine } from '../runtime/test-support/fake-cluster.js';
import { createSmokeCluster, type SmokeCluster } from '../runtime/test-support/smoke-cluster.js';

describe('busybox in the client pod', () => {
  let cluster: SmokeCluster;
  afterEach(() => cluster?.dispose());

  it('prints nslookup of a Service FQDN as busybox 1.36 does against CoreDNS (seed 000)', async () => {
    cluster = createSmokeCluster();
    const out = await cluster.client(['nslookup', 'web.default.svc.cluster.local']);
    expect(out, JSON.stringify(out)).toEqual({
      stdout:
        'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.32.0.93\n\n\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('does not apply search domains to dotted names, so kubernetes.default is NXDOMAIN', async () => {
    cluster = createSmokeCluster();
    const out = await cluster.client(['nslookup', 'kubernetes.default']);
    expect(out.stdout).toContain("** server can't find kubernetes.default: NXDOMAIN\n\n");
    expect(out.exitCode).toBe(1);
  });

  it('writes the kubelet-managed resolv.conf, hosts and hostname', async () => {
    cluster = createSmokeCluster();
    const out = await cluster.shell('cat /etc/resolv.conf /etc/hostname; tail=$(cat /etc/hosts); echo "$tail" | cat');
    expect(out.stdout).toContain(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\nclient\n',
    );
    expect(out.stdout).toContain('10.200.0.9\tclient\n');
  });

  it('runs sh loops, && / ||, $(...) and exit codes', async () => {
    cluster = createSmokeCluster();
    const out = await cluster.shell(
      'for i in 1 2 3; do echo "n=$i"; done; false && echo no || echo yes; h=$(hostname); echo $h; exit 3',
    );
    expect(out, JSON.stringify(out)).toEqual({ stdout: 'n=1\nn=2\nn=3\nyes\nclient\n', stderr: '', exitCode: 3 });
  });

  it('reports an unknown command as sh does (exit 127)', async () => {
    cluster = createSmokeCluster();
    expect(await cluster.shell('curl http://web')).toEqual({
      stdout: '',
      stderr: 'sh: curl: not found\n',
      exitCode: 127,
    });
  });

  it('loads a Service by name and spreads calls over its pods', async () => {
    cluster = createSmokeCluster();
    const out = await cluster.shell(
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do wget -qO- http://web/hostname; echo; done',
    );
    const names = new Set(out.stdout.trim().split('\n'));
    expect(names.size, out.stdout).toBeGreaterThan(1);
    for (const name of names) expect(name).toMatch(/^web-578474b6fc-/);
  });

  it('reports an agnhost 404 with its HTTP/1.1 status line', async () => {
    cluster = createSmokeCluster();
    // netexec answers every unknown path with its root handler; /echo?code= sets the status.
    const out = await cluster.client(['wget', '-qO-', 'http://web/echo?msg=gone&code=404']);
    expect(out).toEqual({ stdout: '', stderr: 'wget: server returned error: HTTP/1.1 404 Not Found\n', exitCode: 1 });
  });

  it('keeps a `sleep` PID 1 alive on kill 1, as the kernel protects init', async () => {
    cluster = createSmokeCluster();
    expect((await cluster.client(['kill', '1'])).exitCode).toBe(0);
    expect((await cluster.client(['hostname'])).stdout, 'the client still runs').toBe('client\n');
    expect(cluster.exits).toEqual([]);
  });

  it('ends a shell PID 1 on kill 1 when it trapped TERM', async () => {
    cluster = createSmokeCluster();
    const pod = cluster.runPod({
      name: 'trapper',
      node: 'worker-0',
      ip: '10.200.0.12',
      containers: [
        {
          name: 'main',
          image: 'busybox:1.36',
          command: ['sh', '-c', 'trap "exit 0" TERM; echo trapped; while true; do sleep 1; done'],
        },
      ],
    });
    await waitForLogLine(cluster.runtime, pod, 'main', 'trapped');
    await cluster.runtime.execInContainer(pod, 'main', ['kill', '1']);
    expect(await cluster.nextExit()).toEqual({
      namespace: 'default',
      pod: 'trapper',
      container: 'main',
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('ends agnhost (a Go PID 1) on kill 1 with exit status 2', async () => {
    cluster = createSmokeCluster();
    const web = cluster.store.get('pods', 'default', 'web-578474b6fc-8rsb8')!;
    await cluster.runtime.execInContainer(web, 'web', ['kill', '1']);
    expect(await cluster.nextExit()).toMatchObject({ pod: 'web-578474b6fc-8rsb8', exitCode: 2, reason: 'Error' });
  });
});
