import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import {
  eventsFor,
  isRunningAndReady,
  podsWithLabel,
  startTestCluster,
  type TestCluster,
  waitFor,
} from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

function agentDaemonSet(extra: { tolerations?: unknown[]; nodeSelector?: Record<string, string> } = {}): KubeObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          containers: [{ name: 'agent', image: 'registry.k8s.io/pause:3.10' }],
          ...(extra.tolerations ? { tolerations: extra.tolerations } : {}),
          ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
        },
      },
    },
  };
}

const agentPods = () =>
  podsWithLabel(cluster.store, 'kube-system', 'app', 'agent').filter((p) => !p.metadata.deletionTimestamp);
const readyOn = (nodes: string[]) => () => {
  const pods = agentPods();
  const placed = pods.map((p) => p.spec?.nodeName).sort();
  return pods.every(isRunningAndReady) && JSON.stringify(placed) === JSON.stringify([...nodes].sort()) && pods;
};
const status = () => cluster.store.get('daemonsets', 'kube-system', 'agent')?.status;

describe('daemonset controller', () => {
  it('runs one pod per schedulable node, pinned by node affinity, skipping the tainted control plane', async () => {
    cluster = startTestCluster();
    const ds = cluster.store.create('daemonsets', agentDaemonSet());
    const pods = await waitFor(cluster.store, ['pods'], readyOn(['worker-0', 'worker-1']), 'agent on both workers');
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'DaemonSet',
        name: 'agent',
        uid: ds.metadata.uid,
      });
      expect(pod.metadata.labels).toMatchObject({
        'pod-template-generation': '1',
        'controller-revision-hash': expect.any(String),
      });
      expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] },
      ]);
      expect(pod.spec.tolerations).toContainEqual({
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
      });
    }
    await waitFor(cluster.store, ['daemonsets'], () => status()?.numberReady === 2, 'status numberReady 2');
    expect(status()).toEqual({
      currentNumberScheduled: 2,
      desiredNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
    });
    const messages = eventsFor(cluster.store, ds).map((e) => `${e.reason}: ${e.message}`);
    for (const pod of pods) expect(messages).toContain(`SuccessfulCreate: Created pod: ${pod.metadata.name}`);
  });

  it('covers the control plane when the template tolerates its taint, and honours a node selector', async () => {
    cluster = startTestCluster();
    cluster.store.create('daemonsets', agentDaemonSet({ tolerations: [{ operator: 'Exists' }] }));
    await waitFor(
      cluster.store,
      ['pods'],
      readyOn(['controlplane', 'worker-0', 'worker-1']),
      'agent on all three nodes',
    );
    cluster.stop();
    cluster = startTestCluster();
    cluster.store.create('daemonsets', agentDaemonSet({ nodeSelector: { 'kubernetes.io/hostname': 'worker-1' } }));
    await waitFor(cluster.store, ['pods'], readyOn(['worker-1']), 'agent on worker-1 only');
  });

  it('replaces a deleted daemon pod and follows a node that joins', async () => {
    cluster = startTestCluster();
    cluster.store.create('daemonsets', agentDaemonSet());
    const [first] = await waitFor(cluster.store, ['pods'], readyOn(['worker-0', 'worker-1']), 'agent on both workers');
    cluster.store.delete('pods', 'kube-system', first!.metadata.name, { gracePeriodSeconds: 0 });
    await waitFor(
      cluster.store,
      ['pods'],
      () => readyOn(['worker-0', 'worker-1'])() && !agentPods().some((p) => p.metadata.uid === first!.metadata.uid),
      'replacement daemon pod',
    );
    const worker1 = cluster.store.get('nodes', undefined, 'worker-1')!;
    const joined = structuredClone(worker1);
    joined.metadata = {
      name: 'worker-2',
      labels: { ...worker1.metadata.labels, 'kubernetes.io/hostname': 'worker-2' },
    };
    joined.spec = { podCIDR: '10.200.9.0/24', podCIDRs: ['10.200.9.0/24'] };
    joined.status.addresses = [
      { type: 'InternalIP', address: '10.240.0.29' },
      { type: 'Hostname', address: 'worker-2' },
    ];
    cluster.store.create('nodes', joined);
    await waitFor(cluster.store, ['pods'], readyOn(['worker-0', 'worker-1', 'worker-2']), 'agent on the new node');
  });

  it('leaves daemon pods Pending on no node while the scheduler is down, as the real cluster does', async () => {
    cluster = startTestCluster({ faults: ['scheduler-down'] });
    cluster.store.create('daemonsets', agentDaemonSet());
    await waitFor(cluster.store, ['pods'], () => agentPods().length === 2 && agentPods(), 'two daemon pods created');
    expect(agentPods().map((p) => p.spec.nodeName ?? null)).toEqual([null, null]);
    await waitFor(cluster.store, ['daemonsets'], () => status()?.desiredNumberScheduled === 2, 'status desired 2');
    expect(status()).toMatchObject({ currentNumberScheduled: 0, numberReady: 0, numberUnavailable: 2 });
  });
});
