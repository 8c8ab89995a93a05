/**
 * Seed 000's cluster on the fake view: two workers, three agnhost web pods behind Service `web`
 * (10.32.0.93:80 → 8080, NodePort 30080), CoreDNS behind kube-dns (10.96.0.10), a busybox client.
 */
import type { EmulatedImage } from '../../containers/types.js';
import type { FaultSpec } from '../../fault-catalog.js';
import { createFakeCluster, type FakeCluster } from './fake-cluster.js';

export const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.52';
export const WEB_PODS = [
  { name: 'web-578474b6fc-8rsb8', node: 'worker-0', ip: '10.200.0.6' },
  { name: 'web-578474b6fc-b67xb', node: 'worker-1', ip: '10.200.1.5' },
  { name: 'web-578474b6fc-hp4jj', node: 'worker-0', ip: '10.200.0.5' },
];
export const NODE_IPS = { 'worker-0': '10.240.0.20', 'worker-1': '10.240.0.21' } as const;

export interface SmokeCluster extends FakeCluster {
  /** Runs a command in the busybox client pod (on worker-0). */
  client(command: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }>;
  shell(script: string): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }>;
}

export function createSmokeCluster(
  options: { faults?: FaultSpec[]; images?: EmulatedImage[]; corednsNode?: string; webArgs?: string[] } = {},
): SmokeCluster {
  const cluster = createFakeCluster(options);
  for (const [name, ip] of Object.entries(NODE_IPS)) cluster.addNode(name, ip);

  const corednsNode = options.corednsNode ?? 'worker-0';
  const corednsIp = corednsNode === 'worker-0' ? '10.200.0.2' : '10.200.1.2';
  cluster.runPod({
    namespace: 'kube-system',
    name: 'coredns-7db6d8ff4d-x7k2p',
    node: corednsNode,
    ip: corednsIp,
    containers: [
      { name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1', args: ['-conf', '/etc/coredns/Corefile'] },
    ],
  });
  cluster.addService('kube-system', 'kube-dns', {
    clusterIP: '10.96.0.10',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
    ],
  });
  if (!options.faults?.includes('coredns-down')) {
    cluster.addEndpoints(
      'kube-system',
      'kube-dns',
      [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
      [{ ip: corednsIp, node: corednsNode }],
    );
  }

  for (const pod of WEB_PODS) {
    cluster.runPod({
      ...pod,
      containers: [{ name: 'web', image: AGNHOST, args: options.webArgs ?? ['netexec', '--http-port=8080'] }],
    });
  }
  cluster.addService('default', 'kubernetes', {
    clusterIP: '10.32.0.1',
    ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
  });
  cluster.addService('default', 'web', {
    clusterIP: '10.32.0.93',
    ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 }],
    type: 'NodePort',
  });
  cluster.addEndpoints('default', 'web', [{ port: 8080 }], WEB_PODS);

  const clientPod = cluster.runPod({
    name: 'client',
    node: 'worker-0',
    ip: '10.200.0.9',
    containers: [{ name: 'client', image: 'busybox:1.36', command: ['sleep', '3600'] }],
  });
  const client = async (command: string[]) => {
    const out = await cluster.runtime.execInContainer(clientPod, 'client', command);
    if (!out) throw new Error('client container is not running');
    return out;
  };
  return { ...cluster, client, shell: (script) => client(['sh', '-c', script]) };
}
