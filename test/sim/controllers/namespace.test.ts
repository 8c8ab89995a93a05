import { afterEach, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster, waitFor, webDeployment, webService } from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const createNamespace = (name: string) =>
  cluster.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('serviceaccount controller', () => {
  it('gives every new namespace its default ServiceAccount', async () => {
    cluster = startTestCluster();
    createNamespace('kubeproof-abc');
    await waitFor(
      cluster.store,
      ['serviceaccounts'],
      () => cluster.store.get('serviceaccounts', 'kubeproof-abc', 'default'),
      'default SA',
    );
  });

  it('creates none while the controller-manager is down', async () => {
    cluster = startTestCluster({ faults: ['controller-manager-down'] });
    createNamespace('kubeproof-abc');
    await expect(
      waitFor(
        cluster.store,
        ['serviceaccounts'],
        () => cluster.store.get('serviceaccounts', 'kubeproof-abc', 'default'),
        'default SA',
        300,
      ),
    ).rejects.toThrow(/timed out/);
  });
});

describe('namespace controller', () => {
  it('empties a Terminating namespace of every resource, then removes it', async () => {
    cluster = startTestCluster();
    createNamespace('kubeproof-abc');
    await waitFor(
      cluster.store,
      ['serviceaccounts'],
      () => cluster.store.get('serviceaccounts', 'kubeproof-abc', 'default'),
      'default SA',
    );
    cluster.store.create('deployments', webDeployment('kubeproof-abc'));
    cluster.store.create('services', webService('kubeproof-abc'));
    cluster.store.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'marker', namespace: 'kubeproof-abc' },
      stringData: { v: 'x' },
    });
    await waitFor(
      cluster.store,
      ['pods'],
      () => cluster.store.list('pods', 'kubeproof-abc').filter((p) => p.status.phase === 'Running').length === 3,
      'web running',
    );

    const marked = cluster.store.delete('namespaces', undefined, 'kubeproof-abc');
    expect(marked?.status.phase).toBe('Terminating');
    await waitFor(
      cluster.store,
      ['namespaces'],
      () => !cluster.store.get('namespaces', undefined, 'kubeproof-abc'),
      'namespace gone',
      5000,
      () =>
        [
          'pods',
          'replicasets',
          'deployments',
          'services',
          'endpointslices',
          'events',
          'secrets',
          'serviceaccounts',
        ].map((r) => [r, cluster.store.list(r, 'kubeproof-abc').length]),
    );
    for (const r of ['pods', 'deployments', 'services', 'secrets', 'events', 'endpointslices'])
      expect(cluster.store.list(r, 'kubeproof-abc'), r).toEqual([]);
  });
});

describe('garbage collector', () => {
  it('deletes the ReplicaSets and pods of a deleted Deployment, and the slice of a deleted Service', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    cluster.store.create('services', webService());
    await waitFor(
      cluster.store,
      ['endpointslices'],
      () =>
        cluster.store
          .list('endpointslices', 'default')
          .some((s) => s.metadata.name.startsWith('web-') && s.endpoints.length === 3),
      'web slice',
    );
    cluster.store.delete('deployments', 'default', 'web');
    cluster.store.delete('services', 'default', 'web');
    await waitFor(
      cluster.store,
      ['pods', 'replicasets', 'endpointslices'],
      () =>
        cluster.store.list('replicasets', 'default').length === 0 &&
        cluster.store.list('pods', 'default').length === 0 &&
        !cluster.store.list('endpointslices', 'default').some((s) => s.metadata.name.startsWith('web-')),
      'cascade',
    );
  });
});
