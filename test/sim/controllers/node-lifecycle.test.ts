import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { conditionOf } from './kit/objects.js';
import { startTestCluster, type TestCluster, waitFor } from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const node = (name: string) => cluster.store.get('nodes', undefined, name)!;
const taintKeys = (n: KubeObj) =>
  (n.spec.taints ?? []).map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`);

describe('node lifecycle controller', () => {
  describe('fault node-notready:<node>', () => {
    it('marks the silent node Unknown with the unreachable taints; new pods avoid it; it recovers when lifted', async () => {
      cluster = startTestCluster();
      cluster.faults.enable('node-notready:worker-1');
      const unknown = await waitFor(
        cluster.store,
        ['nodes'],
        () =>
          conditionOf(node('worker-1'), 'Ready')?.status === 'Unknown' &&
          taintKeys(node('worker-1')).length === 2 &&
          node('worker-1'),
        'worker-1 Unknown and tainted',
        3000,
        () => node('worker-1').status.conditions,
      );
      expect(conditionOf(unknown, 'Ready')).toMatchObject({
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure'])
        expect(conditionOf(unknown, type).status).toBe('Unknown');
      expect(taintKeys(unknown).sort()).toEqual([
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/unreachable:NoSchedule',
      ]);
      expect(conditionOf(node('worker-0'), 'Ready').status).toBe('True');

      for (const name of ['a', 'b', 'c']) {
        cluster.store.create('pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default' },
          spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
        });
      }
      const placed = await waitFor(
        cluster.store,
        ['pods'],
        () => {
          const pods = ['a', 'b', 'c'].map((n) => cluster.store.get('pods', 'default', n)!);
          return pods.every((p) => p.status.phase === 'Running') && pods;
        },
        'pods running',
      );
      expect(placed.map((p) => p.spec.nodeName)).toEqual(['worker-0', 'worker-0', 'worker-0']);

      cluster.faults.disable('node-notready:worker-1');
      await waitFor(
        cluster.store,
        ['nodes'],
        () => conditionOf(node('worker-1'), 'Ready')?.status === 'True' && taintKeys(node('worker-1')).length === 0,
        'worker-1 Ready again',
        3000,
        () => node('worker-1').spec,
      );
    });

    it('leaves the node Ready while the controller-manager is down (nobody marks it)', async () => {
      cluster = startTestCluster({ faults: ['controller-manager-down', 'node-notready:worker-1'] });
      await expect(
        waitFor(
          cluster.store,
          ['nodes'],
          () => conditionOf(node('worker-1'), 'Ready')?.status !== 'True',
          'a change',
          500,
        ),
      ).rejects.toThrow(/timed out/);
    });
  });
});
