/**
 * With pods.cross-node failed, dns.service still judges what the client's node shows: DNS pods
 * not Ready or a refused query are failures; queries dropped towards Ready DNS pods on other
 * nodes are a partial pass with a warning, never a green without saying what was not seen.
 */
import { describe, expect, it } from 'vitest';
import { dnsService } from '../../../src/checks/smoke/dns-service.js';
import { DEFAULT_TIMINGS } from '../../../src/checks/smoke/shared/timings.js';
import type { CheckOutcome } from '../../../src/checks/types.js';
import type { ExecResult, KubeObject } from '../../../src/kube/cluster-access.js';
import { fakeContext, NS, ok } from './fake-context.js';

const CROSS_NODE_FAILED: Record<string, CheckOutcome> = {
  'pods.cross-node': {
    status: 'failed',
    summary: 'web-b (10.200.0.3 on worker-0) wget: download timed out',
    evidence: {},
  },
};
const dnsPod = (name: string, node: string, ready: boolean): KubeObject => ({
  metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  spec: { nodeName: node },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const timedOut: ExecResult = {
  stdout: ';; connection timed out; no servers could be reached\n\n',
  stderr: '',
  exitCode: 1,
};
const refused: ExecResult = { ...timedOut, stderr: 'nslookup: read: Connection refused\n' };

function run(dnsPods: KubeObject[], nslookup: ExecResult) {
  const { ctx } = fakeContext({
    objects: {
      [`pods ${NS}`]: [{ metadata: { name: 'client', namespace: NS }, spec: { nodeName: 'worker-1' } }],
      [`services ${NS}`]: [{ metadata: { name: 'web' }, spec: { clusterIP: '10.32.0.93' } }],
      'pods kube-system': dnsPods,
    },
    results: CROSS_NODE_FAILED,
    exec: (_pod, command) => {
      if (command[0] === 'cat')
        return ok(`search ${NS}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.32.0.10\n`);
      if (command[0] === 'nslookup') return nslookup;
      return { stdout: '', stderr: "wget: bad address 'web'\n", exitCode: 1 };
    },
  });
  return dnsService(DEFAULT_TIMINGS).run(ctx);
}

describe('dns.service while cross-node routing is broken', () => {
  it('Ready DNS pods only on other nodes, queries dropped: partial pass with a warning', async () => {
    const out = await run([dnsPod('coredns-a', 'controlplane', true)], timedOut);
    expect(out.status, out.summary).toBe('passed');
    expect(out.summary).toMatch(/^partial: the Ready DNS pods run on controlplane/);
    expect(out.warnings?.join(' ')).toMatch(/name resolution not observed[\s\S]*pods\.cross-node/);
  });

  it('no DNS pod Ready: failed, whatever the routing', async () => {
    const out = await run([dnsPod('coredns-a', 'controlplane', false)], timedOut);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/none of the 1 cluster DNS pod\(s\) in kube-system is Ready/);
  });

  it('a refused query is an answer (no endpoints), not hidden behind the routing fault', async () => {
    const out = await run([dnsPod('coredns-a', 'controlplane', true)], refused);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/no DNS server answered/);
  });

  it('a Ready DNS pod on the client node that does not answer is a DNS failure', async () => {
    const out = await run([dnsPod('coredns-a', 'worker-1', true)], timedOut);
    expect(out.status).toBe('failed');
  });
});
