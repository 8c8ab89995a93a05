import { afterEach, describe, expect, it } from 'vitest';
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

const webPods = () => podsWithLabel(cluster.store, 'default', 'app', 'web');
const readyWebPods = (n: number) => () => {
  const pods = webPods().filter((p) => !p.metadata.deletionTimestamp);
  return pods.length === n && pods.every(isRunningAndReady) && pods;
};

describe('replicaset controller', () => {
  it('creates pods named <rs>-<5 chars> owned by the ReplicaSet, with SuccessfulCreate events', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    const pods = await waitFor(cluster.store, ['pods'], readyWebPods(3), '3 ready web pods');
    const rs = cluster.store.list('replicasets', 'default')[0]!;
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    const messages = eventsFor(cluster.store, rs).map((e) => `${e.reason} ${e.source.component}: ${e.message}`);
    for (const pod of pods)
      expect(messages).toContain(`SuccessfulCreate replicaset-controller: Created pod: ${pod.metadata.name}`);
    await waitFor(
      cluster.store,
      ['replicasets'],
      () => cluster.store.list('replicasets', 'default')[0]?.status?.readyReplicas === 3,
      'rs status ready 3',
    );
  });

  it('replaces a deleted pod at once (self-heal)', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    const [victim] = await waitFor(cluster.store, ['pods'], readyWebPods(3), '3 ready web pods');
    cluster.store.delete('pods', 'default', victim!.metadata.name);
    const healed = await waitFor(
      cluster.store,
      ['pods'],
      () => {
        const pods = readyWebPods(3)();
        return pods && !pods.some((p) => p.metadata.name === victim!.metadata.name) && pods;
      },
      'a replacement pod ready and the victim gone',
      3000,
      () => webPods().map((p) => [p.metadata.name, p.status?.phase, p.metadata.deletionTimestamp]),
    );
    expect(healed).toHaveLength(3);
  });

  it('deletes surplus pods with SuccessfulDelete events when scaled down', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    await waitFor(cluster.store, ['pods'], readyWebPods(3), '3 ready web pods');
    const deployment = cluster.store.get('deployments', 'default', 'web')!;
    cluster.store.update('deployments', { ...deployment, spec: { ...deployment.spec, replicas: 1 } });
    await waitFor(
      cluster.store,
      ['pods'],
      () => webPods().length === 1,
      'one web pod left',
      3000,
      () => webPods().map((p) => p.metadata.name),
    );
    const rs = cluster.store.list('replicasets', 'default')[0]!;
    expect(eventsFor(cluster.store, rs).filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
  });

  it('does not replace deleted pods while the controller-manager is down', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    const [victim] = await waitFor(cluster.store, ['pods'], readyWebPods(3), '3 ready web pods');
    cluster.faults.enable('controller-manager-down');
    cluster.store.delete('pods', 'default', victim!.metadata.name);
    await waitFor(
      cluster.store,
      ['pods'],
      () => !cluster.store.get('pods', 'default', victim!.metadata.name),
      'victim gone',
    );
    // Give a working controller far more than enough time to have acted, watching every pod write.
    await expect(waitFor(cluster.store, ['pods'], () => webPods().length === 3, 'a replacement', 300)).rejects.toThrow(
      /timed out/,
    );
    cluster.faults.disable('controller-manager-down');
    await waitFor(cluster.store, ['pods'], readyWebPods(3), 'replacement after recovery');
  });
});
