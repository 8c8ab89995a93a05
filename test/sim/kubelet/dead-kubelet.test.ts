/**
 * Issue 9 item 4, driven with the real kubectl: while a node's kubelet is down, the API server
 * cannot dial it, so exec, attach, logs and port-forward to that node's pods fail at once —
 * with the node still Ready, because the node-monitor grace period has not passed yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../index.js';
import { createKubectl, describeRun, hasKubectl, type Kubectl, seedManifest } from '../kubectl.test-helper.js';

let sim: SimCluster;
let k: Kubectl;

beforeAll(async () => {
  sim = await startSimCluster();
  k = createKubectl(sim.kubeconfig);
  if (!hasKubectl) return;
  await k.ok(['apply', '-f', '-'], seedManifest);
  await k.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
});
afterAll(async () => {
  k?.dispose();
  await sim?.stop();
});

describe.skipIf(!hasKubectl)('a dead kubelet is dead for streams (kubectl)', () => {
  it('exec, attach, logs and port-forward fail with the dial error while the node still reads Ready', async () => {
    const [podName = '', node = ''] = (
      await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name} {.items[0].spec.nodeName}'])
    ).split(' ');
    const nodeIp: string = sim.store
      .get('nodes', undefined, node)!
      .status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    const refused = `dial tcp ${nodeIp}:10250: connect: connection refused`;

    sim.faults.enable(`node-notready:${node}`);
    try {
      // Read straight from the store, right after the kubelet stopped: the grace period (50 s
      // real, 5 s here) cannot have passed, and the node is still Ready.
      const ready = sim.store
        .get('nodes', undefined, node)!
        .status.conditions.find((c: { type: string }) => c.type === 'Ready');
      expect(ready.status).toBe('True');

      const exec = await k.run(['exec', podName, '--', 'hostname']);
      expect(exec.code, describeRun(['exec'], exec)).not.toBe(0);
      expect(exec.stderr).toContain(`Error from server: error dialing backend: ${refused}`);

      // kubectl 1.32 over SPDY, too (the API server answers both the same way, before any upgrade).
      const spdy = await k.run(['exec', podName, '--', 'hostname'], undefined, {
        KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false',
      });
      expect(spdy.stderr, describeRun(['exec (SPDY)'], spdy)).toContain(`error dialing backend: ${refused}`);

      const attach = await k.run(['attach', podName]);
      expect(attach.stderr, describeRun(['attach'], attach)).toContain(`error dialing backend: ${refused}`);

      const logs = await k.run(['logs', podName, '--tail=5']);
      expect(logs.code).not.toBe(0);
      expect(logs.stderr, describeRun(['logs'], logs)).toContain(
        `Error from server: Get "https://${nodeIp}:10250/containerLogs/default/${podName}/web?tailLines=5": ${refused}`,
      );

      const forward = await k.run(['port-forward', podName, ':8080']);
      expect(forward.code).not.toBe(0);
      expect(forward.stderr, describeRun(['port-forward'], forward)).toContain(`error dialing backend: ${refused}`);
    } finally {
      sim.faults.disable(`node-notready:${node}`);
    }
    // The kubelet is back: streams work again.
    expect((await k.ok(['exec', podName, '--', 'hostname'])).trim()).toBe(podName);
  });
});
