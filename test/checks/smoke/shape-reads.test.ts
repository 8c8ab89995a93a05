/**
 * The cluster shape consults only the kube-system ConfigMaps that can change it, all read with
 * one list (no get per name, no second round for EKS's kube-proxy-config), and comes out the
 * same as if it had been fed all four: per cluster kind, which ConfigMaps it consults, and the
 * shape against shapeFrom() fed every ConfigMap. A list refused (a token granting `get` of named
 * ConfigMaps only) or cut short is said in `unseen`, never taken for "absent".
 */
import { describe, expect, it } from 'vitest';
import { clusterShape, type RawShape, shapeFrom } from '../../../src/checks/shape/detect.js';
import {
  type ClusterAccess,
  ClusterError,
  type KubeObject,
  type ListSelector,
} from '../../../src/kube/cluster-access.js';

const ALL = ['kube-proxy', 'kube-proxy-config', 'cilium-config', 'kubeadm-config'] as const;
type Cm = (typeof ALL)[number];

interface Cluster {
  version: string;
  nodes?: KubeObject[];
  daemonSets?: KubeObject[];
  pods?: KubeObject[];
  configMaps: Partial<Record<Cm, KubeObject>>;
}

interface FakeOptions {
  /** `list configmaps` answers 403 (RBAC grants `get` of named ConfigMaps only). */
  listRefused?: boolean;
  /** Other kube-system ConfigMaps, listed before the shape's (names sort first). */
  others?: number;
}

/**
 * A ClusterAccess answering the shape's reads from `c`, paging the ConfigMaps as the API server
 * does (`limit`, then `continue` to the next page), recording each ConfigMap call.
 */
function fake(c: Cluster, o: FakeOptions = {}): { cluster: ClusterAccess; calls: string[] } {
  const calls: string[] = [];
  const configMaps = [
    ...Array.from({ length: o.others ?? 0 }, (_, i) => ({ metadata: { name: `a-release.v${1000 + i}` } })),
    ...Object.entries(c.configMaps).map(([name, cm]) => ({ ...cm, metadata: { ...cm?.metadata, name } })),
  ].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const lists: Record<string, KubeObject[]> = {
    nodes: c.nodes ?? [],
    daemonsets: c.daemonSets ?? [],
    deployments: [],
    pods: c.pods ?? [],
  };
  const cluster = {
    server: 'https://127.0.0.1:6443',
    version: async () => ({ major: '1', minor: '31', gitVersion: c.version }),
    list: async (resource: string, selector: ListSelector = {}) => {
      if (resource !== 'configmaps') return { items: lists[resource] ?? [], resourceVersion: '1' };
      calls.push(
        `list configmaps ${selector.namespace} limit=${selector.limit ?? ''} continue=${selector.continue ?? ''}`,
      );
      if (o.listRefused)
        throw new ClusterError(
          'forbidden',
          'configmaps is forbidden: User "kubeproof" cannot list resource "configmaps" in API group "" in the namespace "kube-system"',
          403,
          'Forbidden',
        );
      const start = Number(selector.continue ?? 0);
      const end = selector.limit ? start + selector.limit : configMaps.length;
      const more = end < configMaps.length ? { continue: String(end) } : {};
      return { items: configMaps.slice(start, end), resourceVersion: '1', ...more };
    },
    get: async (resource: string, name: string) => {
      calls.push(`get ${resource} ${name}`);
      throw new Error('the shape gets no single object');
    },
  } as unknown as ClusterAccess;
  return { cluster, calls };
}

const ds = (name: string): KubeObject => ({ metadata: { name }, status: { desiredNumberScheduled: 2 } });
const cm = (data: Record<string, string>): KubeObject => ({ metadata: {}, data });
const kcm = (flags: string[]): KubeObject => ({
  metadata: { name: 'kube-controller-manager-cp', labels: { component: 'kube-controller-manager' } },
  spec: { containers: [{ name: 'kube-controller-manager', command: ['kube-controller-manager', ...flags] }] },
});
const kubeadmConfig = cm({ ClusterConfiguration: 'networking:\n  podSubnet: 10.244.0.0/16\n' });

/** Each cluster kind, and the ConfigMaps the shape consults there (EKS: kube-proxy-config after kube-proxy). */
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

/** shapeFrom() fed every ConfigMap of the cluster (and every other read). */
const everything = (cluster: Cluster): RawShape =>
  ({
    gitVersion: cluster.version,
    nodes: cluster.nodes ?? [],
    daemonSets: cluster.daemonSets ?? [],
    deployments: [],
    pods: cluster.pods ?? [],
    configMaps: Object.fromEntries(ALL.map((n) => [n, cluster.configMaps[n]])),
  }) as RawShape;
const oneList = ['list configmaps kube-system limit=100 continue='];

describe('the cluster shape reads the ConfigMaps that matter in one list, and nothing changes', () => {
  for (const [name, { cluster }] of Object.entries(CLUSTERS)) {
    it(name, async () => {
      const { cluster: access, calls } = fake(cluster);
      const shape = await clusterShape(access);
      expect(calls).toEqual(oneList);
      expect(shape).toEqual(shapeFrom(everything(cluster)));
    });
  }

  it('what it consults is what could change it (the others, listed too, are left out)', () => {
    for (const { cluster, asked } of Object.values(CLUSTERS)) {
      const only = Object.fromEntries(asked.map((n) => [n, cluster.configMaps[n]]));
      expect(shapeFrom({ ...everything(cluster), configMaps: only })).toEqual(shapeFrom(everything(cluster)));
    }
  });

  it('no ConfigMap can change it: no list at all', async () => {
    const cluster: Cluster = {
      version: 'v1.30.1+k3s1',
      nodes: [{ metadata: { name: 'k3s' }, spec: { providerID: 'k3s://k3s' } }],
      pods: [kcm(['--allocate-node-cidrs=true', '--cluster-cidr=10.42.0.0/16'])],
      configMaps: {},
    };
    const { cluster: access, calls } = fake(cluster);
    expect(await clusterShape(access)).toEqual(shapeFrom(everything(cluster)));
    expect(calls).toEqual([]);
  });
});

describe('ConfigMaps not listed: said, never taken for absent', () => {
  const kubeadm = CLUSTERS['kubeadm: kube-proxy DaemonSet with its mode, controller-manager allocating node CIDRs']!;

  it('list refused where get of the names would be allowed: one unseen entry naming `list configmaps`, judged as without them', async () => {
    const { cluster: access, calls } = fake(kubeadm.cluster, { listRefused: true });
    const shape = await clusterShape(access);
    expect(calls).toEqual(oneList);
    expect(shape.unseen).toEqual([
      expect.stringMatching(/^configmaps in kube-system: list configmaps in kube-system not granted .*cannot list/),
    ]);
    const without = shapeFrom({ ...everything(kubeadm.cluster), configMaps: {} }, shape.unseen);
    expect(shape).toEqual(without);
    // kubeadm-config unseen: the distribution stays unknown, the mode not visible (not "iptables").
    expect(shape.distribution).toBe('unknown');
    expect(shape.serviceProxy).toMatchObject({ kind: 'kube-proxy', mode: undefined });
  });

  it('a wanted ConfigMap on a later page is found there (pages read until every wanted one is)', async () => {
    const { cluster: access, calls } = fake(kubeadm.cluster, { others: 150 });
    const shape = await clusterShape(access);
    expect(calls).toEqual([...oneList, 'list configmaps kube-system limit=100 continue=100']);
    expect(shape).toEqual(shapeFrom(everything(kubeadm.cluster)));
  });

  it('a list cut short (more pages than it reads) before a wanted one: unseen, not absent', async () => {
    const { cluster: access, calls } = fake(kubeadm.cluster, { others: 1000 });
    const shape = await clusterShape(access);
    expect(calls).toHaveLength(4);
    expect(shape.unseen).toEqual([
      'configmap kube-system/kube-proxy: not among the first 400 ConfigMaps listed in kube-system',
      'configmap kube-system/kubeadm-config: not among the first 400 ConfigMaps listed in kube-system',
      // kube-proxy not seen, so no mode from it: EKS's kube-proxy-config would have been consulted.
      'configmap kube-system/kube-proxy-config: not among the first 400 ConfigMaps listed in kube-system',
    ]);
    expect(shape).toEqual(shapeFrom({ ...everything(kubeadm.cluster), configMaps: {} }, shape.unseen));
  });
});
