import { afterEach, describe, expect, it } from 'vitest';
import {
  isRunningAndReady,
  podsWithLabel,
  startTestCluster,
  type TestCluster,
  waitFor,
  webDeployment,
  webService,
} from './testing/harness.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const webSlices = () =>
  cluster.store
    .list('endpointslices', 'default')
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
const readyAddresses = () =>
  (webSlices()[0]?.endpoints ?? [])
    .filter((e: { conditions: { ready: boolean } }) => e.conditions.ready)
    .map((e: { addresses: string[] }) => e.addresses[0])
    .sort();
const readyPodIps = () =>
  podsWithLabel(cluster.store, 'default', 'app', 'web')
    .filter(isRunningAndReady)
    .map((p) => p.status.podIP)
    .sort();

describe('endpointslice controller', () => {
  it('publishes one slice per Service holding exactly the ready pod IPs, with the resolved target port', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    cluster.store.create('services', webService());
    await waitFor(
      cluster.store,
      ['endpointslices', 'pods'],
      () => readyAddresses().length === 3 && readyPodIps().length === 3,
      'three ready endpoints',
      3000,
      webSlices,
    );
    expect(readyAddresses()).toEqual(readyPodIps());
    const [slice, ...more] = webSlices();
    expect(more).toEqual([]);
    expect(slice!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice!.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    const endpoint = slice!.endpoints[0];
    expect(endpoint.conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(endpoint.nodeName).toMatch(/^worker-/);
    expect(endpoint.targetRef).toMatchObject({ kind: 'Pod', namespace: 'default' });
  });

  it('resolves a named targetPort against the containers ports', async () => {
    cluster = startTestCluster();
    const deployment = webDeployment('default', 1);
    deployment.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 }];
    cluster.store.create('deployments', deployment);
    cluster.store.create('services', {
      ...webService(),
      spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
    });
    await waitFor(
      cluster.store,
      ['endpointslices'],
      () => webSlices()[0]?.ports?.[0]?.port === 8080,
      'port 8080 resolved',
      3000,
      webSlices,
    );
    expect(webSlices()[0]!.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
  });

  it('follows pods: a deleted pod leaves the slice and its replacement joins', async () => {
    cluster = startTestCluster();
    cluster.store.create('deployments', webDeployment());
    cluster.store.create('services', webService());
    await waitFor(
      cluster.store,
      ['endpointslices', 'pods'],
      () => readyAddresses().length === 3,
      'three ready endpoints',
      3000,
      webSlices,
    );
    const before = readyAddresses();
    const victim = podsWithLabel(cluster.store, 'default', 'app', 'web')[0]!;
    cluster.store.delete('pods', 'default', victim.metadata.name);
    const sliceNames = () =>
      (webSlices()[0]?.endpoints ?? []).map((e: { targetRef: { name: string } }) => e.targetRef.name);
    await waitFor(
      cluster.store,
      ['endpointslices', 'pods'],
      () =>
        readyAddresses().length === 3 &&
        !sliceNames().includes(victim.metadata.name) &&
        JSON.stringify(readyAddresses()) === JSON.stringify(readyPodIps()),
      'the replacement published and the victim gone',
      3000,
      () => ({ before, slice: readyAddresses(), names: sliceNames(), pods: readyPodIps() }),
    );
  });

  describe('fault endpoints-controller-down', () => {
    it('publishes no slice for a new Service, and catches up once lifted', async () => {
      cluster = startTestCluster({ faults: ['endpoints-controller-down'] });
      cluster.store.create('deployments', webDeployment());
      cluster.store.create('services', webService());
      await waitFor(cluster.store, ['pods'], () => readyPodIps().length === 3, 'web pods ready');
      await expect(
        waitFor(cluster.store, ['endpointslices'], () => webSlices().length > 0, 'a web slice', 300),
      ).rejects.toThrow(/timed out/);
      // The slices that existed before the fault stay as they were.
      expect(
        cluster.store
          .list('endpointslices', 'kube-system')
          .map((s) => s.metadata.labels?.['kubernetes.io/service-name']),
      ).toEqual(['kube-dns']);
      cluster.faults.disable('endpoints-controller-down');
      await waitFor(
        cluster.store,
        ['endpointslices'],
        () => readyAddresses().length === 3,
        'slice after recovery',
        3000,
        webSlices,
      );
    });
  });
});
