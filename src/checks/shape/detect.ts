import { parse } from 'yaml';
import { type ClusterAccess, ClusterError, type ResourceKind } from '../../kube/cluster-access.js';
import type {
  ConfigMap,
  Container,
  DaemonSet,
  Deployment,
  IpPool,
  Node,
  Pod,
  PodSpec,
  Typed,
} from '../../kube/objects.js';
import { flagValue, modeFromArgs, modeFromConfig } from './kube-proxy-config.js';
import type { ClusterShape, CniName, Distribution, DnsShape, ServiceProxy } from './types.js';

const KS = 'kube-system';
/** Each read's own budget: the shape is best effort and must never hold a check up for long. */
const READ_OPTS = { timeoutMs: 10_000 };
/**
 * kube-system's ConfigMaps are listed in pages of this many (k8s.io/apimachinery
 * pkg/apis/meta/v1/types.go: ListOptions.Limit, ListMeta.Continue), at most CONFIGMAP_PAGES of
 * them; a real kube-system holds a few dozen (kube-proxy, kubeadm-config, coredns,
 * extension-apiserver-authentication, kube-root-ca.crt, the CNI's), so one page answers.
 */
const CONFIGMAP_PAGE = 100;
const CONFIGMAP_PAGES = 4;

/** kube-system DaemonSets that name the CNI (REAL-SHAPES.md §2). */
const CNI_DAEMONSETS: ReadonlyArray<[RegExp, CniName]> = [
  [/^calico-node$/, 'calico'],
  [/^cilium$/, 'cilium'],
  [/^(kube-)?flannel(-ds)?(-\w+)?$/, 'flannel'],
  [/^aws-node$/, 'aws-vpc-cni'],
  [/^kindnet$/, 'kindnet'],
  [/^weave-net$/, 'weave'],
  [/^antrea-agent$/, 'antrea'],
  [/^anetd$/, 'gke-dataplane-v2'],
  [/^azure-cns$/, 'azure-cni'],
];

/** The kube-system ConfigMaps the shape reads, each only where it can decide something. */
type ShapeConfigMap = 'kube-proxy' | 'kube-proxy-config' | 'cilium-config' | 'kubeadm-config';

/**
 * Which ConfigMaps can change the shape: kubeadm's kube-proxy only where kube-proxy runs as pods
 * (its mode is read from it; EKS's kube-proxy-config after it, when it named none), cilium-config only where Cilium runs (its
 * kube-proxy replacement and IPAM pools), kubeadm-config where the version and the nodes did not
 * already name the distribution or the controller-manager's flags do not give the pod range. The
 * others would be read for nothing (most are 404 on a given cluster).
 */
function configMapsThatMatter(raw: Raw): ShapeConfigMap[] {
  const names: ShapeConfigMap[] = [];
  if (kubeProxyWorkload(raw)) names.push('kube-proxy');
  if (namesOf(raw.daemonSets).includes('cilium')) names.push('cilium-config');
  const distribution = detectDistribution(raw);
  const undecided = distribution === 'unknown' || (distribution === 'gke' && !/-gke\./.test(raw.gitVersion ?? ''));
  if (undecided || controllerManagerPodRange(raw).cidrs.length === 0) names.push('kubeadm-config');
  return names;
}

interface Raw {
  gitVersion?: string;
  nodes?: Node[];
  daemonSets?: DaemonSet[];
  deployments?: Deployment[];
  pods?: Pod[];
  configMaps: Partial<Record<ShapeConfigMap, ConfigMap>>;
  ipPools?: IpPool[];
}

const shapes = new WeakMap<ClusterAccess, Promise<ClusterShape>>();

/** The run's cluster shape, read once per ClusterAccess (one per run) and shared by the checks. */
export function clusterShape(cluster: ClusterAccess): Promise<ClusterShape> {
  let shape = shapes.get(cluster);
  if (!shape) {
    shape = readShape(cluster);
    shapes.set(cluster, shape);
  }
  return shape;
}

async function readShape(cluster: ClusterAccess): Promise<ClusterShape> {
  const unseen: string[] = [];
  /** A read that may fail: absent (404) is an answer, anything else is noted as unseen. */
  const tryRead = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof ClusterError && err.kind === 'not-found') return undefined;
      unseen.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  const list = <K extends ResourceKind>(what: string, resource: K, namespace?: string) =>
    tryRead(what, async () => (await cluster.list(resource, namespace ? { namespace } : {}, READ_OPTS)).items);
  const [version, nodes, daemonSets, deployments, pods] = await Promise.all([
    tryRead('server version', () => cluster.version(READ_OPTS)),
    list('nodes', 'nodes'),
    list(`daemonsets in ${KS}`, 'daemonsets', KS),
    list(`deployments in ${KS}`, 'deployments', KS),
    list(`pods in ${KS}`, 'pods', KS),
  ]);
  const raw: Raw = { configMaps: {} };
  if (version?.gitVersion) raw.gitVersion = version.gitVersion;
  if (nodes) raw.nodes = nodes;
  if (daemonSets) raw.daemonSets = daemonSets;
  if (deployments) raw.deployments = deployments;
  if (pods) raw.pods = pods;
  // Only the ConfigMaps that can change the answer, given what the workloads and nodes said, all
  // from one list (EKS's kube-proxy-config with them, in case kube-proxy's names no mode).
  const wanted = configMapsThatMatter(raw);
  const candidates: ShapeConfigMap[] = kubeProxyWorkload(raw) ? [...wanted, 'kube-proxy-config'] : wanted;
  const listed = candidates.length > 0 ? await listConfigMaps(cluster, candidates, unseen) : undefined;
  const consult = (names: ShapeConfigMap[]) => {
    for (const name of names) {
      if (listed?.found.has(name)) raw.configMaps[name] = listed.found.get(name);
      // Not in a list cut short: not seen, which is not absent.
      else if (listed && !listed.complete)
        unseen.push(`configmap ${KS}/${name}: not among the first ${listed.read} ConfigMaps listed in ${KS}`);
    }
  };
  consult(wanted);
  // EKS's kube-proxy-config is consulted only when kubeadm's kube-proxy ConfigMap named no mode.
  if (kubeProxyWorkload(raw) && !modeFromConfig(raw.configMaps['kube-proxy']?.data?.['config.conf']))
    consult(['kube-proxy-config']);
  const cni = detectCni(raw);
  if (cni?.name === 'calico') {
    const pools = await list('Calico IPPools (crd.projectcalico.org)', 'ippools');
    if (pools) raw.ipPools = pools;
  }
  return shapeFrom(raw, unseen);
}

/**
 * kube-system's ConfigMaps among `names`, from one paged list: a list answers every key's data
 * (there is no field projection), and kube-system may hold many large ones (Helm 2 kept its
 * releases there), so pages of CONFIGMAP_PAGE objects are read, each within the client's list
 * limit (src/kube/cluster/limits.ts), keeping only the wanted ones, until they are all found or
 * CONFIGMAP_PAGES pages were read. Undefined when the list failed (noted in `unseen`; a 403 names
 * the optional permission, `list configmaps`, which a grant of `get` on single names does not give).
 */
async function listConfigMaps(
  cluster: ClusterAccess,
  names: readonly ShapeConfigMap[],
  unseen: string[],
): Promise<{ found: Map<ShapeConfigMap, ConfigMap>; complete: boolean; read: number } | undefined> {
  const found = new Map<ShapeConfigMap, ConfigMap>();
  const wanted = new Set<string>(names);
  let next: string | undefined;
  let read = 0;
  try {
    for (let page = 0; page < CONFIGMAP_PAGES; page++) {
      const answer = await cluster.list(
        'configmaps',
        { namespace: KS, limit: CONFIGMAP_PAGE, ...(next ? { continue: next } : {}) },
        READ_OPTS,
      );
      read += answer.items.length;
      for (const cm of answer.items) {
        const name = cm.metadata?.name ?? '';
        if (wanted.has(name)) found.set(name as ShapeConfigMap, cm);
      }
      next = answer.continue;
      if (!next || found.size === wanted.size) break;
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const refused = err instanceof ClusterError && err.kind === 'forbidden';
    unseen.push(
      refused
        ? `configmaps in ${KS}: list configmaps in ${KS} not granted (get of single ConfigMaps is not enough): ${why}`
        : `configmaps in ${KS}: ${why}`,
    );
    return undefined;
  }
  return { found, complete: !next, read };
}

/** The shape from what was read; pure, so tests can feed it any cluster's objects. */
export function shapeFrom(raw: Raw, unseen: string[] = []): ClusterShape {
  const distribution = detectDistribution(raw);
  const cni =
    detectCni(raw) ?? (distribution === 'k3s' ? { name: 'flannel' as const, from: 'embedded in k3s' } : undefined);
  return {
    distribution,
    controlPlane: detectControlPlane(raw, distribution),
    cni,
    serviceProxy: detectServiceProxy(raw, distribution),
    dns: detectDns(raw),
    podPools: detectPools(raw),
    unseen,
  };
}

export type { Raw as RawShape };

const namesOf = (objs: Typed[] | undefined) => (objs ?? []).map((o) => o.metadata?.name ?? '');
/** The containers of a workload's pod template, or of a pod. */
const containersOf = (o: DaemonSet | Deployment | Pod | undefined): Container[] => {
  const spec = o?.spec;
  if (spec && 'template' in spec) return spec.template?.spec?.containers ?? [];
  return (spec as PodSpec | undefined)?.containers ?? [];
};

function detectDistribution(raw: Raw): Distribution {
  const v = raw.gitVersion ?? '';
  if (/-eks-/.test(v)) return 'eks';
  if (/-gke\./.test(v)) return 'gke';
  if (/\+k3s/.test(v)) return 'k3s';
  const providers = (raw.nodes ?? []).map((n) => String(n.spec?.providerID ?? ''));
  if (providers.some((p) => p.startsWith('k3s://'))) return 'k3s';
  if (providers.some((p) => p.startsWith('kind://'))) return 'kind';
  if (providers.some((p) => p.startsWith('azure://'))) return 'aks';
  if (providers.some((p) => p.startsWith('gce://')) && !raw.configMaps['kubeadm-config']) return 'gke';
  if ((raw.nodes ?? []).some((n) => n.metadata?.labels?.['minikube.k8s.io/name'])) return 'minikube';
  if (raw.configMaps['kubeadm-config']) return 'kubeadm';
  return 'unknown';
}

function detectControlPlane(raw: Raw, distribution: Distribution): ClusterShape['controlPlane'] {
  if (distribution === 'eks' || distribution === 'gke' || distribution === 'aks') return 'managed';
  if (distribution !== 'unknown') return 'self-hosted';
  const staticApiserver = (raw.pods ?? []).some((p) => p.metadata?.labels?.component === 'kube-apiserver');
  const cpNode = (raw.nodes ?? []).some((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}));
  return staticApiserver || cpNode ? 'self-hosted' : 'unknown';
}

function detectCni(raw: Raw): ClusterShape['cni'] {
  for (const name of namesOf(raw.daemonSets)) {
    const hit = CNI_DAEMONSETS.find(([re]) => re.test(name));
    if (hit) return { name: hit[1], from: `DaemonSet ${KS}/${name}` };
  }
  return undefined;
}

const isKubeProxyPod = (p: Pod) =>
  p.metadata?.labels?.['k8s-app'] === 'kube-proxy' ||
  p.metadata?.labels?.component === 'kube-proxy' ||
  /^kube-proxy-/.test(p.metadata?.name ?? '');

function kubeProxyMode(raw: Raw, container: Container | undefined) {
  const kubeadm = modeFromConfig(raw.configMaps['kube-proxy']?.data?.['config.conf']);
  if (kubeadm) return { mode: kubeadm, from: `ConfigMap ${KS}/kube-proxy (config.conf)` };
  const eks = modeFromConfig(raw.configMaps['kube-proxy-config']?.data?.config);
  if (eks) return { mode: eks, from: `ConfigMap ${KS}/kube-proxy-config (config)` };
  const args = modeFromArgs(container);
  if (args) return { mode: args, from: '--proxy-mode' };
  return { mode: undefined, from: 'mode not visible' };
}

/** kube-proxy as pods: its DaemonSet (when it schedules any) or its static pods, whichever runs. */
function kubeProxyWorkload(raw: Raw): { ds: DaemonSet } | { staticPod: Pod } | undefined {
  const ds = (raw.daemonSets ?? []).find((d) => d.metadata?.name === 'kube-proxy');
  if (ds && Number(ds.status?.desiredNumberScheduled ?? 1) > 0) return { ds };
  const staticPod = (raw.pods ?? []).find(
    (p) => isKubeProxyPod(p) && !p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet'),
  );
  return staticPod ? { staticPod } : undefined;
}

function detectServiceProxy(raw: Raw, distribution: Distribution): ServiceProxy {
  const kubeProxy = kubeProxyWorkload(raw);
  if (kubeProxy && 'ds' in kubeProxy) {
    const m = kubeProxyMode(raw, containersOf(kubeProxy.ds)[0]);
    return { kind: 'kube-proxy', runsAs: 'daemonset', mode: m.mode, from: `DaemonSet ${KS}/kube-proxy; ${m.from}` };
  }
  if (kubeProxy) {
    const m = kubeProxyMode(raw, containersOf(kubeProxy.staticPod)[0]);
    return {
      kind: 'kube-proxy',
      runsAs: 'static-pods',
      mode: m.mode,
      from: `pod ${KS}/${kubeProxy.staticPod.metadata?.name}; ${m.from}`,
    };
  }
  const dsNames = namesOf(raw.daemonSets);
  const kpr = String(raw.configMaps['cilium-config']?.data?.['kube-proxy-replacement'] ?? '');
  if (dsNames.includes('cilium') && /^(true|strict)$/.test(kpr))
    return { kind: 'cilium', from: `ConfigMap ${KS}/cilium-config kube-proxy-replacement: ${kpr}, no kube-proxy` };
  if (dsNames.includes('anetd')) return { kind: 'gke-dataplane-v2', from: `DaemonSet ${KS}/anetd, no kube-proxy` };
  if (distribution === 'k3s')
    return { kind: 'k3s-embedded', from: 'k3s, no kube-proxy pods (embedded in the k3s process)' };
  if (raw.daemonSets && raw.pods)
    return {
      kind: 'kube-proxy',
      runsAs: 'systemd',
      mode: undefined,
      from: `no kube-proxy pods in ${KS}: a host service`,
    };
  return { kind: 'unknown', from: `${KS} not readable` };
}

function detectDns(raw: Raw): DnsShape {
  const nodeLocal = namesOf(raw.daemonSets).includes('node-local-dns');
  const candidates = [
    ...(raw.deployments ?? []).map((d) => ({
      kind: d.spec?.template ? 'Deployment' : 'pod',
      name: d.metadata?.name,
      labels: d.spec?.template?.metadata?.labels ?? d.metadata?.labels,
      containers: containersOf(d),
    })),
    ...(raw.pods ?? []).map((p) => ({
      kind: 'pod',
      name: p.metadata?.name,
      labels: p.metadata?.labels,
      containers: containersOf(p),
    })),
  ].filter((o) => o.labels?.['k8s-app'] === 'kube-dns');
  for (const { kind, name, containers } of candidates) {
    const where = `${kind} ${KS}/${name}`;
    if (containers.some((c) => /coredns/.test(String(c.image ?? '')) || c.name === 'coredns'))
      return { server: 'coredns', nodeLocal, from: where };
    if (containers.some((c) => c.name === 'kubedns' || /k8s-dns-kube-dns/.test(String(c.image ?? ''))))
      return { server: 'kube-dns', nodeLocal, from: where };
  }
  return {
    server: 'unknown',
    nodeLocal,
    from: raw.deployments ? `no k8s-app=kube-dns Deployment in ${KS}` : `${KS} not readable`,
  };
}

const cidrList = (text: unknown): string[] =>
  String(text ?? '')
    .split(/[\s,]+/)
    .filter((c) => c.includes('/'));

/**
 * The pod range from the controller-manager's static pod: --cluster-cidr is where pod IPs come
 * from only when it allocates node CIDRs from it (kubeadm's --allocate-node-cidrs=true); KTHW
 * sets it for kube-proxy alone.
 */
function controllerManagerPodRange(raw: Raw): { cidrs: string[]; pod?: string } {
  const kcm = (raw.pods ?? []).find((p) => p.metadata?.labels?.component === 'kube-controller-manager');
  const allocates = flagValue(containersOf(kcm)[0], '--allocate-node-cidrs') === 'true';
  const cidrs = allocates ? cidrList(flagValue(containersOf(kcm)[0], '--cluster-cidr')) : [];
  return { cidrs, ...(kcm?.metadata?.name ? { pod: kcm.metadata.name } : {}) };
}

function detectPools(raw: Raw): ClusterShape['podPools'] {
  const pools: ClusterShape['podPools'] = {};
  const calico = (raw.ipPools ?? []).filter((p) => !p.spec?.disabled).map((p) => String(p.spec?.cidr ?? ''));
  if (calico.length > 0) {
    pools.calico = { cidrs: calico.filter(Boolean), from: `Calico IPPools ${namesOf(raw.ipPools).join(', ')}` };
  } else {
    // The manifest install seeds its first pool from calico-node's CALICO_IPV4POOL_CIDR /
    // CALICO_IPV6POOL_CIDR (projectcalico/calico manifests/calico.yaml) when the IPPools are not readable.
    const node = (raw.daemonSets ?? []).find((d) => d.metadata?.name === 'calico-node');
    const env = containersOf(node).find((c) => c.name === 'calico-node')?.env ?? [];
    const seeded = env
      .filter((e) => e.name === 'CALICO_IPV4POOL_CIDR' || e.name === 'CALICO_IPV6POOL_CIDR')
      .flatMap((e) => cidrList(e.value));
    if (seeded.length > 0)
      pools.calico = { cidrs: seeded, from: `DaemonSet ${KS}/calico-node CALICO_IPV4POOL_CIDR/CALICO_IPV6POOL_CIDR` };
  }
  const cilium = raw.configMaps['cilium-config']?.data;
  if (cilium) {
    pools.cilium = {
      ipam: String(cilium.ipam ?? 'cluster-pool'),
      cidrs: [...cidrList(cilium['cluster-pool-ipv4-cidr']), ...cidrList(cilium['cluster-pool-ipv6-cidr'])],
      from: `ConfigMap ${KS}/cilium-config`,
    };
  }
  const flag = controllerManagerPodRange(raw);
  if (flag.cidrs.length > 0) {
    pools.cluster = { cidrs: flag.cidrs, from: `pod ${KS}/${flag.pod} --cluster-cidr` };
  } else {
    const text = raw.configMaps['kubeadm-config']?.data?.ClusterConfiguration;
    let subnet: unknown;
    try {
      subnet = (parse(String(text ?? '')) as { networking?: { podSubnet?: string } } | null)?.networking?.podSubnet;
    } catch {
      subnet = undefined;
    }
    const cidrs = cidrList(subnet);
    if (cidrs.length > 0) pools.cluster = { cidrs, from: `ConfigMap ${KS}/kubeadm-config networking.podSubnet` };
  }
  return pools;
}
