import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import {
  eventsFor,
  isRunningAndReady,
  startTestCluster,
  type TestCluster,
  waitFor,
} from '../controllers/testing/harness.js';
import { cidrContains } from '../store/index.js';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

const pod = (name: string, spec: Record<string, unknown> = {}): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...spec },
});
const get = (name: string) => cluster.store.get('pods', 'default', name)!;
const status = (name: string) => get(name)?.status?.containerStatuses?.[0];
const reasons = (name: string) => eventsFor(cluster.store, get(name)).map((e) => e.reason);
const running = (name: string) =>
  waitFor(
    cluster.store,
    ['pods'],
    () => isRunningAndReady(get(name)) && get(name),
    `${name} running and ready`,
    3000,
    () => get(name)?.status,
  );

describe('kubelet', () => {
  it('takes a bound pod through ContainerCreating to Running with an IP from its node podCIDR', async () => {
    cluster = startTestCluster();
    cluster.latencies.podStartMs = 150;
    cluster.store.create('pods', pod('client'));
    const creating = await waitFor(
      cluster.store,
      ['pods'],
      () => status('client')?.state?.waiting?.reason === 'ContainerCreating' && get('client'),
      'ContainerCreating',
    );
    expect(creating.status.phase).toBe('Pending');
    const ready = await running('client');
    const node = cluster.store.get('nodes', undefined, ready.spec.nodeName)!;
    expect(cidrContains(node.spec.podCIDR, ready.status.podIP), `${ready.status.podIP} in ${node.spec.podCIDR}`).toBe(
      true,
    );
    expect(ready.status.hostIP).toBe(node.status.addresses[0].address);
    expect(ready.status.podIPs).toEqual([{ ip: ready.status.podIP }]);
    const c = status('client');
    expect(c).toMatchObject({
      name: 'main',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'docker.io/library/busybox:1.36',
    });
    expect(c.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(c.imageID).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    expect(
      get('client').status.conditions.map((x: { type: string; status: string }) => `${x.type}=${x.status}`),
    ).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(reasons('client')).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(cluster.runtime.started).toContain('default/client/main');
  });

  it('allocates pod IPs from an internal range when nodes publish no podCIDR', async () => {
    cluster = startTestCluster({ bootstrap: { podCidr: false } });
    expect(cluster.store.get('nodes', undefined, 'worker-0')!.spec.podCIDR).toBeUndefined();
    cluster.store.create('pods', pod('client'));
    const ready = await running('client');
    expect(ready.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
  });

  it('restarts a container whose process was killed: restartCount grows, lastState records the exit, Ready again', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('web'));
    await running('web');
    cluster.controllers.onContainerExit('default', 'web', 'main', 137, 'Error');
    const restarted = await waitFor(
      cluster.store,
      ['pods'],
      () => status('web')?.restartCount === 1 && isRunningAndReady(get('web')) && status('web'),
      'restart',
    );
    expect(restarted.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(cluster.runtime.started.filter((s) => s === 'default/web/main')).toHaveLength(2);
  });

  it('backs off a container that keeps exiting: CrashLoopBackOff and a BackOff event', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('crashy'));
    const p = await running('crashy');
    cluster.controllers.onContainerExit('default', 'crashy', 'main', 1, 'Error');
    await waitFor(
      cluster.store,
      ['pods'],
      () => status('crashy')?.restartCount === 1 && status('crashy')?.state?.running,
      'first restart',
    );
    cluster.controllers.onContainerExit('default', 'crashy', 'main', 1, 'Error');
    const waiting = await waitFor(
      cluster.store,
      ['pods'],
      () => status('crashy')?.state?.waiting?.reason === 'CrashLoopBackOff' && status('crashy'),
      'CrashLoopBackOff',
    );
    expect(waiting.state.waiting.message).toMatch(
      new RegExp(`^back-off \\d+ms restarting failed container=main pod=crashy_default\\(${p.metadata.uid}\\)$`),
    );
    const backOff = eventsFor(cluster.store, get('crashy')).find((e) => e.reason === 'BackOff');
    expect(backOff).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container main in pod crashy_default(${p.metadata.uid})`,
    });
    await waitFor(
      cluster.store,
      ['pods'],
      () => status('crashy')?.restartCount === 2 && isRunningAndReady(get('crashy')),
      'restarted after back-off',
    );
  });

  it('ends a restartPolicy Never pod as Succeeded or Failed by exit code', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('ok', { restartPolicy: 'Never' }));
    cluster.store.create('pods', pod('bad', { restartPolicy: 'Never' }));
    await running('ok');
    await running('bad');
    cluster.controllers.onContainerExit('default', 'ok', 'main', 0, 'Completed');
    cluster.controllers.onContainerExit('default', 'bad', 'main', 1, 'Error');
    await waitFor(
      cluster.store,
      ['pods'],
      () => get('ok').status.phase === 'Succeeded' && get('bad').status.phase === 'Failed',
      'terminal phases',
      3000,
      () => [get('ok').status, get('bad').status],
    );
    expect(status('bad').state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('stops the containers of a deleted pod', async () => {
    cluster = startTestCluster();
    cluster.store.create('pods', pod('gone'));
    await running('gone');
    cluster.store.delete('pods', 'default', 'gone');
    await cluster.runtime.waitForStop('default/gone/main');
    await waitFor(cluster.store, ['pods'], () => !get('gone'), 'pod removed');
  });

  it('renews its node Lease', async () => {
    cluster = startTestCluster();
    const before = cluster.store.get('leases', 'kube-node-lease', 'worker-0')!.spec.renewTime;
    const lease = await waitFor(
      cluster.store,
      ['leases'],
      () => {
        const l = cluster.store.get('leases', 'kube-node-lease', 'worker-0');
        return l?.spec.renewTime !== before && l;
      },
      'a renewal',
    );
    expect(lease.spec).toMatchObject({ holderIdentity: 'worker-0', leaseDurationSeconds: 40 });
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  describe('fault cni-down', () => {
    it('leaves new pods ContainerCreating with FailedCreatePodSandBox and SandboxChanged events, retried; lifting it lets them run', async () => {
      cluster = startTestCluster({ faults: ['cni-down'] });
      cluster.store.create('pods', pod('client'));
      // Each retry names a new sandbox, so each failure is its own event.
      const failures = await waitFor(
        cluster.store,
        ['events'],
        () => {
          const found = eventsFor(cluster.store, get('client')).filter((x) => x.reason === 'FailedCreatePodSandBox');
          return found.length >= 2 && found;
        },
        'a retried FailedCreatePodSandBox',
        3000,
        () => reasons('client'),
      );
      const event = failures[0]!;
      expect(failures[1]!.message).not.toBe(event.message);
      expect(event.type).toBe('Warning');
      expect(event.message).toMatch(
        /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="bridge" failed \(add\): .+/,
      );
      expect(reasons('client')).toContain('SandboxChanged');
      expect(eventsFor(cluster.store, get('client')).find((e) => e.reason === 'SandboxChanged')!.message).toBe(
        'Pod sandbox changed, it will be killed and re-created.',
      );
      expect(status('client').state.waiting.reason).toBe('ContainerCreating');
      expect(get('client').status.podIP).toBeUndefined();
      cluster.faults.disable('cni-down');
      await running('client');
    });
  });

  describe('fault kubelet-no-restart', () => {
    it('leaves an exited container terminated and the pod not Ready', async () => {
      cluster = startTestCluster({ faults: ['kubelet-no-restart'] });
      cluster.store.create('pods', pod('web'));
      await running('web');
      cluster.controllers.onContainerExit('default', 'web', 'main', 137, 'Error');
      await waitFor(cluster.store, ['pods'], () => status('web')?.state?.terminated, 'terminated');
      await expect(
        waitFor(cluster.store, ['pods'], () => status('web')?.restartCount > 0, 'a restart', 300),
      ).rejects.toThrow(/timed out/);
      expect(get('web').status.phase).toBe('Running');
      expect(get('web').status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [main]',
      });
      cluster.faults.disable('kubelet-no-restart');
      await waitFor(
        cluster.store,
        ['pods'],
        () => status('web')?.restartCount === 1 && isRunningAndReady(get('web')),
        'restart once fixed',
      );
    });
  });

  describe('fault coredns-down', () => {
    const corednsPods = () =>
      cluster.store.list('pods', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
    const readyDnsEndpoints = () =>
      cluster.store
        .list('endpointslices', 'kube-system')
        .flatMap((s) => s.endpoints ?? [])
        .filter((e: { conditions: { ready: boolean } }) => e.conditions.ready);

    it('crash-loops CoreDNS so kube-dns has no ready endpoints, and recovers when lifted', async () => {
      cluster = startTestCluster();
      expect(readyDnsEndpoints()).toHaveLength(2);
      cluster.faults.enable('coredns-down');
      await waitFor(
        cluster.store,
        ['pods', 'endpointslices'],
        () =>
          readyDnsEndpoints().length === 0 &&
          corednsPods().every((p) => p.status.containerStatuses[0].state.waiting?.reason === 'CrashLoopBackOff'),
        'CoreDNS crash-looping, no ready DNS endpoints',
        3000,
        () => corednsPods().map((p) => p.status.containerStatuses[0]),
      );
      cluster.faults.disable('coredns-down');
      await waitFor(
        cluster.store,
        ['endpointslices'],
        () => readyDnsEndpoints().length === 2,
        'DNS endpoints back',
        3000,
        readyDnsEndpoints,
      );
    });
  });
});
