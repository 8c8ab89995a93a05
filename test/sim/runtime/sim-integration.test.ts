/**
 * The runtime inside the real simulated cluster (API server, controllers, kubelets): seed 000's
 * in-pod observations through @kubernetes/client-node's Exec, Log and PortForward, and the
 * cross-node symptom. Objects are created straight in the store; the kubelets start them.
 */
import { PassThrough, Writable } from 'node:stream';
import { Exec, KubeConfig, Log, PortForward, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { KubeObj } from '../contracts.js';
import { type SimCluster, startSimCluster } from '../index.js';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.52';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** Resolves with the objects once `ready` holds for the resource's list, re-checked on every change. */
function waitFor(
  sim: SimCluster,
  resource: string,
  ready: (objs: KubeObj[]) => boolean,
  what: string,
): Promise<KubeObj[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, 20_000);
    const check = () => {
      const objs = sim.store.list(resource);
      if (!ready(objs)) return;
      clearTimeout(timer);
      queueMicrotask(() => stop());
      resolve(objs);
    };
    const stop = sim.store.watch(resource, undefined, check);
    check();
  });
}

async function deploySmokeWorkload(sim: SimCluster): Promise<KubeObj[]> {
  sim.store.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: AGNHOST, args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080 }] },
          ],
        },
      },
    },
  });
  sim.store.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  });
  sim.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', namespace: 'default' },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'client', image: 'busybox:1.36', command: ['sleep', '3600'] }],
    },
  });
  const isReady = (p: KubeObj) =>
    p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
  await waitFor(
    sim,
    'endpointslices',
    (slices) =>
      slices
        .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')
        .flatMap((s) => s.endpoints ?? [])
        .filter((e: { conditions?: { ready?: boolean } }) => e.conditions?.ready).length === 3,
    'three ready web endpoints',
  );
  const pods = await waitFor(
    sim,
    'pods',
    (all) => all.some((p) => p.metadata.name === 'client' && isReady(p)),
    'the client pod',
  );
  return pods.filter((p) => p.metadata.labels?.app === 'web');
}

describe('runtime in the simulated cluster', () => {
  let sim: SimCluster;
  let kc: KubeConfig;
  let webPods: KubeObj[];

  const exec = async (pod: string, command: string[]) => {
    const stdout = new Collector();
    const stderr = new Collector();
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec('default', pod, '', command, stdout, stderr, null, false, resolve).catch(reject);
    });
    return { stdout: stdout.text, stderr: stderr.text, status: status.status };
  };

  beforeAll(async () => {
    sim = await startSimCluster({ latencies: { podStartMs: 5, endpointDelayMs: 5 } });
    kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    webPods = await deploySmokeWorkload(sim);
  });
  afterAll(() => sim?.stop());

  it('calls the web Service by name from the client and lands on more than one pod', async () => {
    const out = await exec('client', [
      'sh',
      '-c',
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do wget -T 2 -qO- http://web/hostname; echo; done',
    ]);
    const names = new Set(out.stdout.trim().split('\n'));
    expect(out.stderr).toBe('');
    expect(names.size, out.stdout).toBeGreaterThan(1);
    expect(
      [...names].every((n) => webPods.some((p) => p.metadata.name === n)),
      out.stdout,
    ).toBe(true);
  });

  it('resolves the Service FQDN to its ClusterIP through CoreDNS', async () => {
    const clusterIP = sim.store.get('services', 'default', 'web')?.spec.clusterIP;
    const out = await exec('client', ['nslookup', 'web.default.svc.cluster.local']);
    expect(out.stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n`);
  });

  it('shows the requests in the web pod logs, runs hostname in it and forwards its port', async () => {
    const name = webPods[0]!.metadata.name;
    const podIp = sim.store.get('pods', 'default', name)?.status.podIP;
    await exec('client', ['wget', '-qO-', `http://${podIp}:8080/hostname`]);
    const logs = new Collector();
    await new Log(kc).log('default', name, 'web', logs, { tailLines: 2 });
    await new Promise((resolve) => logs.on('finish', resolve));
    expect(logs.text).toContain(`] hostname: ${name}\n`);
    expect(await exec(name, ['hostname'])).toEqual({ stdout: `${name}\n`, stderr: '', status: 'Success' });

    const output = new Collector();
    const input = new PassThrough();
    const ws = (await new PortForward(kc).portForward('default', name, [8080], output, null, input)) as WebSocket;
    input.write('GET /hostname HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => ws.on('close', resolve));
    expect(output.text.endsWith(`\r\n\r\n${name}`), output.text).toBe(true);
  });

  it('drops cross-node pod traffic with cni-cross-node: wget -T times out', async () => {
    const client = sim.store.get('pods', 'default', 'client')!;
    const remote = webPods.find((p) => p.spec.nodeName !== client.spec.nodeName);
    expect(remote, 'a web pod on another node than the client').toBeDefined();
    const ip = sim.store.get('pods', 'default', remote!.metadata.name)?.status.podIP;
    sim.faults.enable('cni-cross-node');
    try {
      expect(await exec('client', ['wget', '-T', '2', '-qO-', `http://${ip}:8080/hostname`])).toEqual({
        stdout: '',
        stderr: 'wget: download timed out\n',
        status: 'Failure',
      });
    } finally {
      sim.faults.disable('cni-cross-node');
    }
  });
});
