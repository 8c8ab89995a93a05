/**
 * Each network fault shows, through busybox in the client pod (worker-0), the symptom a real
 * cluster shows (docs/real-symptoms.md). Time-outs are scaled (network/timing.ts), so a
 * `wget -T 2` that times out costs milliseconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSmokeCluster, type SmokeCluster } from '../runtime/test-support/smoke-cluster.js';

const WORKER1_POD = 'http://10.200.1.5:8080/hostname';
const WORKER0_POD = 'http://10.200.0.6:8080/hostname';

describe('virtual network faults', () => {
  let cluster: SmokeCluster;
  afterEach(() => cluster?.dispose());

  it('reaches pods on both nodes by pod IP when healthy', async () => {
    cluster = createSmokeCluster();
    expect(await cluster.client(['wget', '-T', '2', '-qO-', WORKER1_POD])).toEqual({
      stdout: 'web-578474b6fc-b67xb',
      stderr: '',
      exitCode: 0,
    });
    expect((await cluster.client(['wget', '-qO-', WORKER0_POD])).stdout).toBe('web-578474b6fc-8rsb8');
  });

  it('cni-cross-node: a pod on another node times out, one on the same node answers', async () => {
    cluster = createSmokeCluster({ faults: ['cni-cross-node'] });
    expect(await cluster.client(['wget', '-T', '2', '-qO-', WORKER1_POD])).toEqual({
      stdout: '',
      stderr: 'wget: download timed out\n',
      exitCode: 1,
    });
    expect(await cluster.client(['wget', '-qO-', WORKER1_POD])).toEqual({
      stdout: '',
      stderr: "wget: can't connect to remote host (10.200.1.5): Connection timed out\n",
      exitCode: 1,
    });
    expect((await cluster.client(['wget', '-T', '2', '-qO-', WORKER0_POD])).stdout).toBe('web-578474b6fc-8rsb8');
  });

  it('cni-cross-node: DNS to a CoreDNS pod on another node times out', async () => {
    cluster = createSmokeCluster({ faults: ['cni-cross-node'], corednsNode: 'worker-1' });
    expect(await cluster.client(['nslookup', 'web.default.svc.cluster.local'])).toEqual({
      stdout: ';; connection timed out; no servers could be reached\n\n',
      stderr: '',
      exitCode: 1,
    });
  });

  it('coredns-down (no DNS endpoints): nslookup is refused and wget cannot resolve', async () => {
    cluster = createSmokeCluster({ faults: ['coredns-down'] });
    expect(await cluster.client(['nslookup', 'web.default.svc.cluster.local'])).toEqual({
      stdout: ';; connection timed out; no servers could be reached\n\n',
      stderr: 'nslookup: read: Connection refused\n',
      exitCode: 1,
    });
    expect(await cluster.client(['wget', '-T', '2', '-qO-', 'http://web/hostname'])).toEqual({
      stdout: '',
      stderr: "wget: bad address 'web'\n",
      exitCode: 1,
    });
  });

  it('coredns-nxdomain: Service names are NXDOMAIN for both query types', async () => {
    cluster = createSmokeCluster({ faults: ['coredns-nxdomain'] });
    const out = await cluster.client(['nslookup', 'web.default.svc.cluster.local']);
    expect(out, JSON.stringify(out)).toEqual({
      stdout:
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find web.default.svc.cluster.local: NXDOMAIN\n\n** server can't find web.default.svc.cluster.local: NXDOMAIN\n\n",
      stderr: '',
      exitCode: 1,
    });
  });

  it('refuses ClusterIP and NodePort connections of a Service without ready endpoints', async () => {
    cluster = createSmokeCluster();
    cluster.addService('default', 'empty', {
      clusterIP: '10.32.0.50',
      type: 'NodePort',
      ports: [{ port: 80, nodePort: 30050, protocol: 'TCP' }],
    });
    cluster.addEndpoints('default', 'empty', [{ port: 8080 }], [{ ip: '10.200.0.6', node: 'worker-0', ready: false }]);
    expect(await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.32.0.50/'])).toEqual({
      stdout: '',
      stderr: "wget: can't connect to remote host (10.32.0.50): Connection refused\n",
      exitCode: 1,
    });
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.240.0.21:30050/'])).stderr).toBe(
      "wget: can't connect to remote host (10.240.0.21): Connection refused\n",
    );
  });

  it('kube-proxy-no-balance: every call to the ClusterIP lands on the same pod', async () => {
    cluster = createSmokeCluster({ faults: ['kube-proxy-no-balance'] });
    const out = await cluster.shell('for i in 1 2 3 4 5 6 7 8; do wget -qO- http://10.32.0.93/hostname; echo; done');
    expect(new Set(out.stdout.trim().split('\n')).size, out.stdout).toBe(1);
  });

  it('kube-proxy-down: old Services keep working, a new ClusterIP times out and its NodePort is refused', async () => {
    cluster = createSmokeCluster();
    cluster.faults.enable('kube-proxy-down');
    cluster.addService('default', 'late', {
      clusterIP: '10.32.0.77',
      type: 'NodePort',
      ports: [{ port: 80, nodePort: 30077, protocol: 'TCP' }],
    });
    cluster.addEndpoints('default', 'late', [{ port: 8080 }], [{ ip: '10.200.0.6', node: 'worker-0' }]);
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.32.0.93/hostname'])).exitCode).toBe(0);
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.32.0.77/hostname'])).stderr).toBe(
      'wget: download timed out\n',
    );
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.240.0.20:30077/hostname'])).stderr).toBe(
      "wget: can't connect to remote host (10.240.0.20): Connection refused\n",
    );
    cluster.faults.disable('kube-proxy-down');
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.32.0.77/hostname'])).stdout).toBe(
      'web-578474b6fc-8rsb8',
    );
  });

  it('nodeport-blocked:<node>: that node refuses the NodePort, the other node answers', async () => {
    cluster = createSmokeCluster({ faults: ['nodeport-blocked:worker-1'] });
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.240.0.21:30080/hostname'])).stderr).toBe(
      "wget: can't connect to remote host (10.240.0.21): Connection refused\n",
    );
    expect((await cluster.client(['wget', '-T', '2', '-qO-', 'http://10.240.0.20:30080/hostname'])).stdout).toMatch(
      /^web-578474b6fc-/,
    );
  });
});
