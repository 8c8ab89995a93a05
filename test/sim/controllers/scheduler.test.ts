import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import {
  eventsFor,
  isRunningAndReady,
  podsWithLabel,
  startTestCluster,
  type TestCluster,
  waitFor,
  webDeployment,
} from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...extra },
});
const get = (name: string) => cluster.store.get('pods', 'default', name)!;
const failedScheduling = (name: string) => () =>
  eventsFor(cluster.store, get(name)).find((e) => e.reason === 'FailedScheduling');

describe('scheduler', () => {
  it('binds a pending pod to a worker with a Scheduled event from default-scheduler', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('client'));
    const bound = await waitFor(
      cluster.store,
      ['pods'],
      () => get('client').spec.nodeName && get('client'),
      'client bound',
    );
    expect(bound.spec.nodeName).toMatch(/^worker-/);
    const scheduled = eventsFor(cluster.store, bound).find((e) => e.reason === 'Scheduled');
    expect(scheduled, JSON.stringify(eventsFor(cluster.store, bound))).toMatchObject({
      type: 'Normal',
      source: { component: 'default-scheduler' },
      message: `Successfully assigned default/client to ${bound.spec.nodeName}`,
    });
  });

  it('spreads the replicas of one owner over the schedulable workers', async () => {
    cluster = startTestCluster({ bootstrap: { workers: 3 } });
    cluster.store.create('deployments', webDeployment('default', 6));
    const pods = await waitFor(
      cluster.store,
      ['pods'],
      () => {
        const p = podsWithLabel(cluster.store, 'default', 'app', 'web');
        return p.length === 6 && p.every(isRunningAndReady) && p;
      },
      '6 web pods running',
    );
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ 'worker-0': 2, 'worker-1': 2, 'worker-2': 2 });
  });

  it('reports FailedScheduling with per-reason counts and the preemption verdict when no node fits', async () => {
    cluster = startTestCluster({ bootstrap: { workers: 2 } });
    cluster.store.create('pods', pod('picky', { nodeSelector: { disk: 'ssd' } }));
    const event = await waitFor(cluster.store, ['events'], failedScheduling('picky'), 'FailedScheduling');
    expect(event.type).toBe('Warning');
    expect(event.source.component).toBe('default-scheduler');
    expect(event.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(get('picky').status.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    );
  });

  it('retries an unschedulable pod when a node changes so that it fits', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('picky', { nodeSelector: { disk: 'ssd' } }));
    await waitFor(cluster.store, ['events'], failedScheduling('picky'), 'FailedScheduling');
    const node = cluster.store.get('nodes', undefined, 'worker-1')!;
    cluster.store.update('nodes', {
      ...node,
      metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } },
    });
    await waitFor(cluster.store, ['pods'], () => get('picky').spec.nodeName === 'worker-1', 'picky bound to worker-1');
  });

  describe('fault scheduler-down', () => {
    it('leaves pods Pending with no node and no events at all, and schedules them once lifted', async () => {
      cluster = startTestCluster({ faults: ['scheduler-down'] });
      cluster.store.create('pods', pod('client'));
      await expect(
        waitFor(
          cluster.store,
          ['pods', 'events'],
          () => get('client').spec.nodeName || eventsFor(cluster.store, get('client')).length > 0,
          'any scheduling',
          300,
        ),
      ).rejects.toThrow(/timed out/);
      expect(get('client').status.phase).toBe('Pending');
      expect(eventsFor(cluster.store, get('client'))).toEqual([]);
      cluster.faults.disable('scheduler-down');
      await waitFor(cluster.store, ['pods'], () => get('client').status.phase === 'Running', 'client running');
    });
  });

  describe('fault nodes-unschedulable', () => {
    it('cordons every node and reports node(s) were unschedulable; lifting it uncordons and schedules', async () => {
      cluster = startTestCluster({ faults: ['nodes-unschedulable'] });
      for (const node of cluster.store.list('nodes')) {
        expect(node.spec.unschedulable, node.metadata.name).toBe(true);
        expect(node.spec.taints).toContainEqual({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
      }
      cluster.store.create('pods', pod('client'));
      const event = await waitFor(cluster.store, ['events'], failedScheduling('client'), 'FailedScheduling');
      expect(event.message).toBe(
        '0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      );
      cluster.faults.disable('nodes-unschedulable');
      await waitFor(cluster.store, ['pods'], () => get('client').spec.nodeName, 'client bound after uncordon');
      for (const node of cluster.store.list('nodes')) {
        expect(node.spec.unschedulable, node.metadata.name).toBeUndefined();
        expect((node.spec.taints ?? []).map((t: { key: string }) => t.key)).not.toContain(
          'node.kubernetes.io/unschedulable',
        );
      }
    });
  });
});
