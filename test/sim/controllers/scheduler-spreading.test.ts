/**
 * Issue 9 item 5, driven with the real kubectl: the scheduler places replicas as kube-scheduler's
 * default profile does — spread softly by PodTopologySpread's system default (hostname, maxSkew
 * 3, ScheduleAnyway), weighed against free resources (NodeResourcesFit least-allocated), steered by
 * PreferNoSchedule taints — and `--node-load` makes a healthy cluster spread imperfectly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../index.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';

let sim: SimCluster | undefined;
let k: Kubectl | undefined;
afterEach(async () => {
  k?.dispose();
  await sim?.stop();
  sim = undefined;
  k = undefined;
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.k8s.io/e2e-test-images/agnhost:2.52
          args: ["netexec", "--http-port=8080"]
          resources: { requests: { cpu: 10m, memory: 16Mi } }
`;

/** Node → number of web pods, read with kubectl. */
async function placement(
  options: SimClusterOptions,
  before?: (k: Kubectl) => Promise<void>,
): Promise<Record<string, number>> {
  sim = await startSimCluster(options);
  k = createKubectl(sim.kubeconfig);
  await before?.(k);
  await k.ok(['apply', '-f', '-'], deployment);
  await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
  const nodes = (await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(' ');
  const out: Record<string, number> = {};
  for (const n of nodes) out[n] = (out[n] ?? 0) + 1;
  return out;
}

describe.skipIf(!hasKubectl)('scheduler placement (kubectl)', () => {
  it('spreads 3 replicas over 2 empty workers 2 + 1', async () => {
    const byNode = await placement({ nodes: 2 });
    expect(Object.values(byNode).sort()).toEqual([1, 2]);
  });

  it('with --node-load worker-0=97 on 3 workers: the busy node gets none, spreading is imperfect (2 + 1)', async () => {
    const byNode = await placement({ nodes: 3, nodeLoad: { 'worker-0': 97 } });
    expect(byNode['worker-0']).toBeUndefined();
    expect(Object.values(byNode).sort()).toEqual([1, 2]);
    const described = await k!.ok(['describe', 'node', 'worker-0']);
    expect(described).toMatch(/sim-load\s+load-worker-0\s+1940m \(97%\)/);
  });

  it('a PreferNoSchedule taint steers every replica away while another node is free', async () => {
    const byNode = await placement({ nodes: 2 }, (kubectl) =>
      kubectl.ok(['taint', 'node', 'worker-1', 'maintenance=soon:PreferNoSchedule']).then(() => undefined),
    );
    expect(byNode).toEqual({ 'worker-0': 3 });
  });

  it('fault scheduler-binpack: every replica piles onto one node', async () => {
    const byNode = await placement({ nodes: 3, faults: ['scheduler-binpack'] });
    expect(Object.values(byNode)).toEqual([3]);
  });
});
