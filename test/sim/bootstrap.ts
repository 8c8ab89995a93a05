/**
 * The objects a freshly built cluster holds, written straight into the store as if the cluster
 * had been up for a while, in the shape of its profile (profiles/): namespaces with their
 * `default` ServiceAccounts, the nodes and their Leases, the `kubernetes` and `kube-dns`
 * Services, the DNS server, the control-plane mirror pods where they are visible, kube-proxy
 * where and how the profile runs it, and the profile's add-ons (CNI DaemonSets, …).
 * A fault switched on at start therefore breaks a working cluster, as it would in life.
 * Idempotent: what already exists is left alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObj, SimStore } from './contracts.js';
import { publishEndpointSlice } from './controllers/endpointslice.js';
import { type Json, timestamp } from './controllers/kit/objects.js';
import { healthyNodeConditions, leaseFor } from './kubelet/heartbeat.js';
import { PodIpAllocator } from './kubelet/pod-ips.js';
import { controlPlaneStaticPods, kubeProxyPod } from './kubelet/static-pods.js';
import { familyOf } from './network/ip.js';
import { corednsConfigMap, corednsDeployment, kubeDnsDeployment } from './profiles/dns.js';
import { kthwShape } from './profiles/kthw.js';
import { kubeProxyConfigMap, kubeProxyDaemonSet, kubeProxyStaticPod } from './profiles/kube-proxy.js';
import { type BootstrapContext, ensureDaemonSet, ensureDeployment, ensureRunningPod } from './profiles/kube-system.js';
import type { ClusterShape, NodeShape } from './profiles/types.js';
import { randomSuffix } from './store/index.js';

export interface BootstrapConfig {
  /** Worker nodes `worker-0..N-1` (`--nodes`, default 2) of the default shape. */
  workers?: number;
  /** false with `--no-pod-cidr`: nodes of the default shape publish no spec.podCIDR. */
  podCidr?: boolean;
  /** The profile's cluster shape (default: today's KTHW-style cluster from workers/podCidr). */
  shape?: ClusterShape;
  clusterDomain?: string;
  /** An encryption provider is configured: kube-apiserver gets --encryption-provider-config. */
  encryption?: boolean;
  kubernetesVersion?: string;
  clock?: () => Date;
}

export { controlPlaneAddress, controlPlaneNodeName, workerAddress } from './profiles/kthw.js';

/** The ranges a node's pods get addresses from: the profile's IPAM, else the node's podCIDRs. */
export function podRangesOf(shape: ClusterShape, node: KubeObj): string[] | undefined {
  const declared = shape.nodes.find((n) => n.name === node.metadata.name);
  return declared?.podRanges ?? node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : undefined);
}

export function bootstrapCluster(store: SimStore, config: BootstrapConfig = {}): void {
  const clock = config.clock ?? (() => new Date());
  const shape = config.shape ?? kthwShape(config.workers ?? 2, config.podCidr !== false);
  const version = config.kubernetesVersion ?? 'v1.32.3';
  const clusterDomain = config.clusterDomain ?? 'cluster.local';
  const ensure = (resource: string, obj: KubeObj): KubeObj =>
    store.get(resource, obj.metadata.namespace, obj.metadata.name) ?? store.create(resource, obj);

  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    ensure('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    ensure('serviceaccounts', serviceAccount(ns, 'default'));
  }
  const accounts = [
    shape.dns === 'coredns' ? 'coredns' : 'kube-dns',
    ...(shape.kubeProxy === 'daemonset' || shape.kubeProxy === 'pods' ? ['kube-proxy'] : []),
    ...(shape.addons?.serviceAccounts ?? []),
  ];
  for (const sa of accounts) ensure('serviceaccounts', serviceAccount('kube-system', sa));

  const now = timestamp(clock());
  const nodes = shape.nodes.map((n) => {
    const node = ensure('nodes', nodeObject(n, version, now));
    ensure('leases', leaseFor(node, clock().toISOString().replace(/Z$/, '000Z')));
    return node;
  });
  const allocators = new Map<string, PodIpAllocator>();
  const ctx: BootstrapContext = {
    store,
    clock,
    now,
    ipFor: (node) => {
      let ips = allocators.get(node.metadata.name);
      if (!ips) {
        ips = new PodIpAllocator(podRangesOf(shape, node) ?? ['10.244.0.0/24']);
        for (const p of store.list('pods')) {
          if (p.spec?.nodeName === node.metadata.name && !p.spec?.hostNetwork && p.status?.podIP) {
            ips.reservePod((p.status.podIPs ?? [{ ip: p.status.podIP }]).map((x: Json) => x.ip));
          }
        }
        allocators.set(node.metadata.name, ips);
      }
      const primary = ips.allocate();
      return ips.podIPs(primary).map((p) => p.ip);
    },
  };

  ensure('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  apiserverEndpoints(ensure, shape.apiserverAddress);

  const controlPlane = nodes.find((n) => shape.nodes.find((s) => s.name === n.metadata.name)?.controlPlane);
  const dnsNode = nodes.find((n) => n.metadata.name === shape.dnsNode) ?? controlPlane ?? nodes[0]!;
  if (shape.dns === 'coredns') {
    ensure('configmaps', corednsConfigMap(clusterDomain));
    ensureDeployment(ctx, corednsDeployment(), dnsNode);
  } else {
    ensureDeployment(ctx, kubeDnsDeployment(clusterDomain), dnsNode);
  }
  ensure('services', kubeDnsService(shape.dns));

  if (shape.controlPlanePods && controlPlane) {
    const advertise = controlPlane.status.addresses[0].address;
    for (const pod of controlPlaneStaticPods({
      node: controlPlane,
      advertiseAddress: advertise,
      kubernetesVersion: version,
      serviceCidr: shape.serviceCidrs.join(','),
      clusterCidr: shape.clusterCidr,
      clusterDomain,
      encryption: Boolean(config.encryption),
    })) {
      ensureRunningPod(ctx, pod, controlPlane);
    }
  }
  bootstrapKubeProxy(ctx, shape, nodes, version);
  for (const cm of shape.addons?.configMaps ?? []) ensure('configmaps', cm);
  for (const ds of shape.addons?.daemonSets ?? []) ensureDaemonSet(ctx, ds);
  for (const d of shape.addons?.deployments ?? []) ensureDeployment(ctx, d, dnsNode);
  publishEndpointSlice({ store, clock }, 'kube-system/kube-dns');
}

function bootstrapKubeProxy(ctx: BootstrapContext, shape: ClusterShape, nodes: KubeObj[], version: string): void {
  const { store } = ctx;
  switch (shape.kubeProxy) {
    case 'pods':
      for (const node of nodes) {
        const existing = store
          .list('pods', 'kube-system')
          .find((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy' && p.spec?.nodeName === node.metadata.name);
        if (!existing) ensureRunningPod(ctx, kubeProxyPod(node.metadata.name, randomSuffix(), version), node);
      }
      return;
    case 'daemonset':
      if (!store.get('configmaps', 'kube-system', 'kube-proxy')) store.create('configmaps', kubeProxyConfigMap(shape));
      ensureDaemonSet(ctx, kubeProxyDaemonSet(version));
      return;
    case 'static-pods':
      for (const node of nodes) ensureRunningPod(ctx, kubeProxyStaticPod(node, version, shape.clusterCidr), node);
      return;
    case 'embedded':
    case 'none':
      return;
  }
}

function serviceAccount(namespace: string, name: string): KubeObj {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
}

function kubeDnsService(dns: ClusterShape['dns']): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': dns === 'coredns' ? 'CoreDNS' : 'KubeDNS',
      },
      ...(dns === 'coredns' ? { annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } } : {}),
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ...(dns === 'coredns' ? [{ name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }] : []),
      ],
    },
  };
}

function nodeObject(n: NodeShape, version: string, now: string): KubeObj {
  const spec: Json = {};
  if (n.podCidrs) Object.assign(spec, { podCIDR: n.podCidrs[0], podCIDRs: n.podCidrs });
  if (n.providerID) spec.providerID = n.providerID;
  if (n.taints?.length) spec.taints = n.taints;
  const capacity = {
    cpu: '2',
    'ephemeral-storage': '20134592Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '4015152Ki',
    pods: '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(n.labels ?? {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...(n.annotations ?? {}),
      },
    },
    spec,
    status: {
      addresses: [
        ...n.internalIps.map((address) => ({ address, type: 'InternalIP' })),
        ...(n.extraAddresses ?? []),
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: { ...capacity, 'ephemeral-storage': '18556039957', memory: '3912752Ki' },
      capacity,
      conditions: healthyNodeConditions([], now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: randomUUID(),
        containerRuntimeVersion: n.containerRuntimeVersion ?? 'containerd://1.7.24',
        kernelVersion: n.kernelVersion ?? '6.1.0-28-amd64',
        kubeProxyVersion: version,
        kubeletVersion: version,
        machineID: randomBytes(16).toString('hex'),
        operatingSystem: 'linux',
        osImage: n.osImage ?? 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: randomUUID(),
      },
    },
  };
}

/** The `kubernetes` Service's endpoints are the API server's own (it writes them, not the controller). */
function apiserverEndpoints(ensure: (r: string, o: KubeObj) => KubeObj, address: string): void {
  const port = { name: 'https', port: 6443, protocol: 'TCP' };
  ensure('endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: familyOf(address),
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [port],
  });
  ensure('endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [{ addresses: [{ ip: address }], ports: [port] }],
  });
}
