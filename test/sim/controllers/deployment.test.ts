import { afterEach, describe, expect, it } from 'vitest';
import { podTemplateHash } from './kit/names.js';
import { eventsFor, startTestCluster, type TestCluster, waitFor, webDeployment } from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const web = () => cluster.store.get('deployments', 'default', 'web')!;
const replicaSets = () => cluster.store.list('replicasets', 'default');
const fullyAvailable = (replicas: number) => () => {
  const s = web()?.status;
  return (
    s?.observedGeneration === web().metadata.generation &&
    s?.updatedReplicas === replicas &&
    s?.availableReplicas === replicas &&
    s?.replicas === replicas &&
    s
  );
};

describe('deployment controller', () => {
  it('creates a ReplicaSet named after the pod-template-hash and reports the rollout complete', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    const status = await waitFor(
      cluster.store,
      ['deployments'],
      fullyAvailable(3),
      'web fully available',
      3000,
      () => web().status,
    );

    const [rs, ...others] = replicaSets();
    expect(others, JSON.stringify(replicaSets())).toHaveLength(0);
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    expect(hash).toMatch(/^[bcdf456789]{1,10}$/);
    expect(hash).toBe(podTemplateHash(web().spec.template));
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    expect(web().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason])).toEqual([
      ['Available', 'MinimumReplicasAvailable'],
      ['Progressing', 'NewReplicaSetAvailable'],
    ]);
    const scaling = eventsFor(cluster.store, web()).map((e) => `${e.source.component}: ${e.message}`);
    expect(scaling).toContain(`deployment-controller: Scaled up replica set web-${hash} from 0 to 3`);
  });

  it('scales the ReplicaSet when spec.replicas changes, up and down', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    await waitFor(cluster.store, ['deployments'], fullyAvailable(3), 'web at 3', 3000, () => web().status);
    cluster.store.update('deployments', { ...web(), spec: { ...web().spec, replicas: 4 } });
    await waitFor(cluster.store, ['deployments'], fullyAvailable(4), 'web at 4', 3000, () => web().status);
    cluster.store.update('deployments', { ...web(), spec: { ...web().spec, replicas: 1 } });
    await waitFor(cluster.store, ['deployments'], fullyAvailable(1), 'web at 1', 3000, () => web().status);
    expect(replicaSets()[0]!.spec.replicas).toBe(1);
  });

  it('rolls a changed template out to a new ReplicaSet and scales the old one to zero', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    await waitFor(cluster.store, ['deployments'], fullyAvailable(3), 'first rollout', 3000, () => web().status);
    const next = web();
    next.spec.template.spec.containers[0].args = ['netexec', '--http-port=8080', '--http-override=/hostname'];
    cluster.store.update('deployments', next);
    await waitFor(
      cluster.store,
      ['deployments', 'replicasets'],
      () =>
        replicaSets().length === 2 &&
        replicaSets().every(
          (rs) => rs.spec.replicas === (rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' ? 3 : 0),
        ) &&
        fullyAvailable(3)(),
      'second rollout',
      3000,
      () => replicaSets().map((rs) => [rs.metadata.name, rs.spec.replicas, rs.status]),
    );
    expect(web().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('leaves observedGeneration unset and creates nothing while the controller-manager is down', async () => {
    cluster = startTestCluster({ faults: ['controller-manager-down'] });
    cluster.store.create('deployments', webDeployment());
    // The scheduler still works: a pod created by hand gets scheduled, proving the cluster is otherwise alive.
    cluster.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probe', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    });
    await waitFor(
      cluster.store,
      ['pods'],
      () => cluster.store.get('pods', 'default', 'probe')?.status?.phase === 'Running',
      'probe pod running',
    );
    expect(replicaSets()).toEqual([]);
    expect(web().status?.observedGeneration).toBeUndefined();

    cluster.faults.disable('controller-manager-down');
    await waitFor(
      cluster.store,
      ['deployments'],
      fullyAvailable(3),
      'rollout after recovery',
      3000,
      () => web().status,
    );
  });
});
