/**
 * Issue 9 item 8 (workloads): API defaulting of probes, ReplicaSet `status.replicas: 0`, rolling
 * updates within maxSurge/maxUnavailable, `kubectl rollout undo` bumping the revision. Driven
 * with kubectl v1.32 and the Python client (whose V1ReplicaSetStatus requires `replicas`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { type SimCluster, startSimCluster } from '../index.js';
import { createKubectl, hasKubectl, type Kubectl } from '../kubectl.test-helper.js';
import { hasPythonClient, runPythonProbe } from './python.test-helper.js';

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  strategy:
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.k8s.io/e2e-test-images/agnhost:2.52
          args: ["netexec", "--http-port=8080"]
          readinessProbe:
            httpGet: { port: 8080 }
`;

describe.runIf(hasKubectl)('Deployments through kubectl', () => {
  let sim: SimCluster;
  let k: Kubectl;
  beforeAll(async () => {
    sim = await startSimCluster();
    k = createKubectl(sim.kubeconfig);
    await k.ok(['apply', '-f', '-'], deployment(4));
    await k.ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  });
  afterAll(async () => {
    k?.dispose();
    await sim?.stop();
  });

  it('fills in the probe defaults the kubelet then uses', async () => {
    const probe = JSON.parse(
      await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].readinessProbe}']),
    );
    expect(probe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('rolls out within maxSurge 1 / maxUnavailable 0, one pod at a time', async () => {
    const totals: number[] = [];
    const specs = new Map<string, number>();
    const stop = sim.store.watch('replicasets', 'default', (e: { object: KubeObj }) => {
      specs.set(e.object.metadata.name, e.object.spec?.replicas ?? 0);
      totals.push([...specs.values()].reduce((a, b) => a + b, 0));
    });
    for (const rs of sim.store.list('replicasets', 'default')) specs.set(rs.metadata.name, rs.spec.replicas);
    try {
      await k.ok(['set', 'env', 'deploy/web', 'ROLL=1']);
      await k.ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
    } finally {
      stop();
    }
    expect(Math.max(...totals)).toBe(5);
    expect(totals.at(-1)).toBe(4);
    const rs = JSON.parse(await k.ok(['get', 'rs', '-l', 'app=web', '-o', 'json'])).items;
    expect(rs.map((r: KubeObj) => r.spec.replicas).sort()).toEqual([0, 4]);
    const old = rs.find((r: KubeObj) => r.spec.replicas === 0);
    expect(old.status.replicas).toBe(0);
  });

  it('kubectl rollout undo makes the old ReplicaSet the newest revision', async () => {
    expect(await k.ok(['rollout', 'undo', 'deploy/web'])).toBe('deployment.apps/web rolled back\n');
    await k.ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
    const annotations = JSON.parse(await k.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations}']));
    expect(annotations['deployment.kubernetes.io/revision']).toBe('3');
    const rs = JSON.parse(await k.ok(['get', 'rs', '-l', 'app=web', '-o', 'json'])).items;
    const current = rs.find((r: KubeObj) => r.spec.replicas === 4);
    expect(current.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(current.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    const history = await k.ok(['rollout', 'history', 'deploy/web']);
    expect(history).toMatch(/^2\s+<none>$/m);
    expect(history).toMatch(/^3\s+<none>$/m);
    expect(history).not.toMatch(/^1\s+<none>$/m);
  });
});

describe.runIf(hasPythonClient)('ReplicaSets through the Python client', () => {
  let sim: SimCluster;
  beforeAll(async () => {
    sim = await startSimCluster({ apiOnly: true });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('reads a ReplicaSet of zero replicas (V1ReplicaSetStatus requires replicas)', async () => {
    const seen = await runPythonProbe('replicaset_probe.py', sim.kubeconfig);
    expect(seen).toEqual({ replicas: 0, specReplicas: 0 });
  });
});
