/**
 * IPv6 and dual-stack clusters (shapes from kind's IPv6 defaults, REAL-SHAPES.md §4–5): pod IPs
 * are judged against node podCIDRs of their own family, dual-stack pods need an address of each
 * family, and every URL the client is told to fetch brackets IPv6 literals.
 */
import { describe, expect, it } from 'vitest';
import { dnsService } from '../../../src/checks/smoke/dns-service.js';
import { podsCrossNode } from '../../../src/checks/smoke/pods-cross-node.js';
import { podsNetwork } from '../../../src/checks/smoke/pods-network.js';
import { serviceNodePort } from '../../../src/checks/smoke/service-nodeport.js';
import { DEFAULT_TIMINGS } from '../../../src/checks/smoke/shared/timings.js';
import { fakeContext, NS, node, ok, webPod } from './fake-context.js';

const V6_NODES = [
  node('worker-0', ['fd00:10:244:1::/64'], ['fc00:f853:ccd:e793::3']),
  node('worker-1', ['fd00:10:244:2::/64'], ['fc00:f853:ccd:e793::4']),
];
const DUAL_NODES = [
  node('worker-0', ['fd00:10:244:1::/64', '10.244.1.0/24'], ['fc00:f853:ccd:e793::3', '172.18.0.3']),
  node('worker-1', ['fd00:10:244:2::/64', '10.244.2.0/24'], ['fc00:f853:ccd:e793::4', '172.18.0.4']),
];

describe('pods.network on IPv6 and dual-stack', () => {
  it('passes IPv6 pod IPs inside their node podCIDR', async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: V6_NODES,
        [`pods ${NS}`]: [
          webPod('web-a', 'worker-0', ['fd00:10:244:1::5']),
          webPod('web-b', 'worker-1', ['fd00:10:244:2::9']),
        ],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(out.summary).toMatch(/2 with every IP inside/);
  });

  it("fails an IPv6 pod IP from another node's range (it used to pass unchecked)", async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: V6_NODES,
        [`pods ${NS}`]: [
          webPod('web-a', 'worker-0', ['fd00:10:244:2::5']),
          webPod('web-b', 'worker-1', ['fd00:10:244:2::9']),
        ],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/web-a has fd00:10:244:2::5, outside worker-0's fd00:10:244:1::\/64/);
  });

  it('dual-stack: each family inside its own range, and a pod missing one family fails', async () => {
    const good = fakeContext({
      objects: {
        nodes: DUAL_NODES,
        [`pods ${NS}`]: [
          webPod('web-a', 'worker-0', ['fd00:10:244:1::5', '10.244.1.5']),
          webPod('web-b', 'worker-1', ['fd00:10:244:2::9', '10.244.2.9']),
        ],
      },
    });
    expect((await podsNetwork.run(good.ctx)).status).toBe('passed');
    const missing = fakeContext({
      objects: {
        nodes: DUAL_NODES,
        [`pods ${NS}`]: [
          webPod('web-a', 'worker-0', ['fd00:10:244:1::5']),
          webPod('web-b', 'worker-1', ['fd00:10:244:2::9', '10.244.2.9']),
        ],
      },
    });
    const out = await podsNetwork.run(missing.ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/web-a has no IPv4 address/);
  });
});

describe('URLs kubeproof builds bracket IPv6 literals', () => {
  const wgets = (calls: string[]) => calls.filter((c) => c.includes(' wget ')).map((c) => c.split(' ').pop());

  it('pods.cross-node calls every pod IP of each family, IPv6 ones bracketed', async () => {
    const { ctx, calls } = fakeContext({
      objects: {
        [`pods ${NS}`]: [
          { metadata: { name: 'client', namespace: NS }, spec: { nodeName: 'worker-0' } },
          webPod('web-a', 'worker-0', ['fd00:10:244:1::5', '10.244.1.5']),
        ],
      },
      exec: () => ok('web-a'),
    });
    const out = await podsCrossNode(DEFAULT_TIMINGS).run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(wgets(calls).sort()).toEqual(['http://10.244.1.5:8080/hostname', 'http://[fd00:10:244:1::5]:8080/hostname']);
  });

  it("service.nodeport calls each node's InternalIP of every Service family", async () => {
    const { ctx, calls } = fakeContext({
      objects: {
        nodes: DUAL_NODES,
        [`pods ${NS}`]: [{ metadata: { name: 'client', namespace: NS }, spec: { nodeName: 'worker-0' } }],
        [`services ${NS}`]: [
          {
            metadata: { name: 'web' },
            spec: {
              ipFamilies: ['IPv6', 'IPv4'],
              clusterIPs: ['fd00:10:96::1f', '10.96.0.31'],
              ports: [{ nodePort: 30080 }],
            },
          },
        ],
      },
      exec: () => ok('web-a'),
    });
    const out = await serviceNodePort(DEFAULT_TIMINGS).run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(wgets(calls).sort()).toEqual([
      'http://172.18.0.3:30080/hostname',
      'http://172.18.0.4:30080/hostname',
      'http://[fc00:f853:ccd:e793::3]:30080/hostname',
      'http://[fc00:f853:ccd:e793::4]:30080/hostname',
    ]);
  });
});

describe('dns.service accepts AAAA answers', () => {
  const aaaaOnly = (name: string, address: string) =>
    ok(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\nName:\t${name}\nAddress: ${address}\n\n`);

  it('passes an IPv6-only cluster whose names resolve to their IPv6 ClusterIPs only', async () => {
    const { ctx } = fakeContext({
      objects: {
        [`services ${NS}`]: [
          { metadata: { name: 'web' }, spec: { ipFamilies: ['IPv6'], clusterIPs: ['fd00:10:96::5a'] } },
        ],
        'services default': [{ metadata: { name: 'kubernetes' }, spec: { clusterIP: 'fd00:10:96::1' } }],
      },
      exec: (_pod, command) => {
        const name = command[1] ?? '';
        if (command[0] === 'nslookup')
          return aaaaOnly(name, name.startsWith('kubernetes') ? 'fd00:10:96:0:0:0:0:1' : 'fd00:10:96::5a');
        return ok('web-a');
      },
    });
    const out = await dnsService(DEFAULT_TIMINGS).run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(out.summary).toMatch(/fd00:10:96::5a/);
  });
});
