/**
 * With pods.cross-node failed, service.loadbalancing can only see balancing among the client
 * node's pods. Its pass says so every time — also when kube-proxy happened to send every call
 * to a local pod (with 2 of 3 pods local, 12 calls all stay local about once in 130 audits), so
 * the verdict's warning does not depend on that draw.
 */
import { describe, expect, it } from 'vitest';
import { serviceLoadBalancing } from '../../../src/checks/smoke/service-loadbalancing.js';
import { DEFAULT_TIMINGS } from '../../../src/checks/smoke/shared/timings.js';
import type { CheckOutcome } from '../../../src/checks/types.js';
import type { KubeObject } from '../../../src/kube/cluster-access.js';
import { fakeContext, NS, ok } from './fake-context.js';

const CROSS_NODE_FAILED: Record<string, CheckOutcome> = {
  'pods.cross-node': {
    status: 'failed',
    summary: 'web-c (10.200.1.3 on worker-0) wget: download timed out',
    evidence: {},
  },
};
const webPod = (name: string, node: string): KubeObject => ({
  metadata: { name, namespace: NS, labels: { app: 'web' } },
  spec: { nodeName: node },
  status: { phase: 'Running', podIP: '10.200.0.2', conditions: [{ type: 'Ready', status: 'True' }] },
});

/** Every call answered, alternately by the two pods on the client's node. */
function run(results: Record<string, CheckOutcome>) {
  let call = 0;
  const { ctx } = fakeContext({
    objects: {
      [`pods ${NS}`]: [
        { metadata: { name: 'client', namespace: NS }, spec: { nodeName: 'worker-1' } },
        webPod('web-a', 'worker-1'),
        webPod('web-b', 'worker-1'),
        webPod('web-c', 'worker-0'),
      ],
      [`services ${NS}`]: [{ metadata: { name: 'web' }, spec: { clusterIP: '10.32.0.93' } }],
    },
    results,
    exec: () => ok(call++ % 2 === 0 ? 'web-a' : 'web-b'),
  });
  return serviceLoadBalancing(DEFAULT_TIMINGS).run(ctx);
}

describe('service.loadbalancing while cross-node routing is broken', () => {
  it('every call landed locally: passed, with a warning that the other node was not observed', async () => {
    const out = await run(CROSS_NODE_FAILED);
    expect(out.status, out.summary).toBe('passed');
    expect(out.warnings?.join(' ')).toMatch(/1 endpoint\(s\) on other nodes were not observed[\s\S]*pods\.cross-node/);
  });

  it('with routing between nodes intact the same answers pass without a warning', async () => {
    const out = await run({});
    expect(out.status, out.summary).toBe('passed');
    expect(out.warnings ?? []).toEqual([]);
  });
});
