/**
 * The cluster shape reads only the kube-system ConfigMaps that can change it, and comes out the
 * same as if it had read all four: per cluster kind, which ConfigMaps are asked for, and the
 * shape against shapeFrom() fed every ConfigMap.
 */
import { describe, expect, it } from 'vitest';
import { clusterShape, type RawShape, shapeFrom } from '../../../src/checks/shape/detect.js';
import { type ClusterAccess, ClusterError, type KubeObject } from '../../../src/kube/cluster-access.js';

const ALL = ['kube-proxy', 'kube-proxy-config', 'cilium-config', 'kubeadm-config'] as const;
type Cm = (typeof ALL)[number];

interface Cluster {
  version: string;
  nodes?: KubeObject[];
  daemonSets?: KubeObject[];
  pods?: KubeObject[];
  configMaps: Partial<Record<Cm, KubeObject>>;
}

/** A ClusterAccess answering the shape's reads from `c`, recording the ConfigMaps asked for. */
function fake(c: Cluster): { cluster: ClusterAccess; asked: string[] } {
  const asked: string[] = [];
  const lists: Record<string, KubeObject[]> = {
    nodes: c.nodes ?? [],
    daemonsets: c.daemonSets ?? [],
    deployments: [],
    pods: c.pods ?? [],
  };
  const cluster = {
    server: 'https://127.0.0.1:6443',
    version: async () => ({ major: '1', minor: '31', gitVersion: c.version }),
    list: async (resource: string) => ({ items: lists[resource] ?? [], resourceVersion: '1' }),
    get: async (_: string, name: string) => {
      asked.push(name);
      const found = c.configMaps[name as Cm];
      if (!found) throw new ClusterError('not-found', `configmaps "${name}" not found`, 404, 'NotFound');
      return found;
    },
  } as unknown as ClusterAccess;
  return { cluster, asked };
}

const ds = (name: string): KubeObject => ({ metadata: { name }, status: { desiredNumberScheduled: 2 } });
const cm = (data: Record<string, string>): KubeObject => ({ metadata: {}, data });
const kcm = (flags: string[]): KubeObject => ({
  metadata: { name: 'kube-controller-manager-cp', labels: { component: 'kube-controller-manager' } },
  spec: { containers: [{ name: 'kube-controller-manager', command: ['kube-controller-manager', ...flags] }] },
});
const kubeadmConfig = cm({ ClusterConfiguration: 'networking:\n  podSubnet: 10.244.0.0/16\n' });

const CLUSTERS: Record<string, { cluster: Cluster; asked: Cm[] }> = {
  'KTHW: kube-proxy a host service, no control-plane pods': {
    cluster: { version: 'v1.32.4', configMaps: {} },
    asked: ['kubeadm-config'],
  },
  'kubeadm: kube-proxy DaemonSet with its mode, controller-manager allocating node CIDRs': {
    cluster: {
      version: 'v1.31.0',
      daemonSets: [ds('kube-proxy'), ds('calico-node')],
      pods: [kcm(['--allocate-node-cidrs=true', '--cluster-cidr=10.244.0.0/16'])],
      configMaps: {
        'kube-proxy': cm({ 'config.conf': 'kind: KubeProxyConfiguration\nmode: ipvs\n' }),
        'kubeadm-config': kubeadmConfig,
      },
    },
    asked: ['kube-proxy', 'kubeadm-config'],
  },
  'EKS: the mode in kube-proxy-config, not in kube-proxy': {
    cluster: {
      version: 'v1.29.3-eks-adc7111',
      daemonSets: [ds('kube-proxy'), ds('aws-node')],
      configMaps: { 'kube-proxy': cm({ kubeconfig: 'x' }), 'kube-proxy-config': cm({ config: 'mode: iptables\n' }) },
    },
    asked: ['kube-proxy', 'kubeadm-config', 'kube-proxy-config'],
  },
  'Cilium replacing kube-proxy': {
    cluster: {
      version: 'v1.30.2',
      daemonSets: [ds('cilium')],
      configMaps: { 'cilium-config': cm({ 'kube-proxy-replacement': 'true', ipam: 'kubernetes' }) },
    },
    asked: ['cilium-config', 'kubeadm-config'],
  },
};

describe('the cluster shape reads the ConfigMaps that matter, and nothing changes', () => {
  for (const [name, { cluster, asked: expected }] of Object.entries(CLUSTERS)) {
    it(name, async () => {
      const { cluster: access, asked } = fake(cluster);
      const shape = await clusterShape(access);
      expect(asked).toEqual(expected);
      const everything: RawShape = {
        gitVersion: cluster.version,
        nodes: cluster.nodes ?? [],
        daemonSets: cluster.daemonSets ?? [],
        deployments: [],
        pods: cluster.pods ?? [],
        configMaps: Object.fromEntries(ALL.map((n) => [n, cluster.configMaps[n]])),
      } as RawShape;
      expect(shape).toEqual(shapeFrom(everything));
    });
  }
});
