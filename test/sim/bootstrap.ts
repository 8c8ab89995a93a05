/**
 * The objects a freshly built kubeadm-style cluster holds, written straight into the store
 * as if the cluster had been up for a while: namespaces with their `default`
 * ServiceAccounts, a tainted control-plane node and N workers (KTHW addresses and pod
 * CIDRs), node Leases, the `kubernetes` and `kube-dns` Services, CoreDNS running on the
 * control plane, the static control-plane pods and kube-proxy on every node.
 * A fault switched on at start therefore breaks a working cluster, as it would in life.
 * Idempotent: what already exists is left alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObj, SimStore } from './contracts.js';
import { writeDeploymentStatus } from './controllers/deployment.js';
import { publishEndpointSlice } from './controllers/endpointslice.js';
import { hex64, podTemplateHash } from './controllers/kit/names.js';
import { type Json, ownerReferenceTo, timestamp } from './controllers/kit/objects.js';
import { writeReplicaSetStatus } from './controllers/replicaset.js';
import { healthyNodeConditions, leaseFor } from './kubelet/heartbeat.js';
import { podConditions, runningContainerStatus } from './kubelet/pod-status.js';
import { controlPlaneStaticPods, kubeProxyPod } from './kubelet/static-pods.js';
import { randomSuffix } from './store/index.js';

export interface BootstrapConfig {
  /** Worker nodes `worker-0..N-1` (`--nodes`, default 2); the control-plane node comes on top. */
  workers?: number;
  /** false with `--no-pod-cidr`: nodes publish no spec.podCIDR (pods still get addresses). */
  podCidr?: boolean;
  clusterDomain?: string;
  /** An encryption provider is configured: kube-apiserver gets --encryption-provider-config. */
  encryption?: boolean;
  kubernetesVersion?: string;
  /** Must match the store's service CIDR. */
  serviceCidr?: string;
  clock?: () => Date;
}

export const controlPlaneNodeName = 'controlplane';
export const controlPlaneAddress = '10.240.0.10';
const clusterCidr = '10.200.0.0/16';
const corednsImage = 'registry.k8s.io/coredns/coredns:v1.11.3';

/** KTHW-style addresses: the control plane .10, workers .20, .21, … */
export function workerAddress(index: number): string {
  return `10.240.0.${20 + index}`;
}

export function bootstrapCluster(store: SimStore, config: BootstrapConfig = {}): void {
  const clock = config.clock ?? (() => new Date());
  const workers = config.workers ?? 2;
  const version = config.kubernetesVersion ?? 'v1.32.3';
  const clusterDomain = config.clusterDomain ?? 'cluster.local';
  const ensure = (resource: string, obj: KubeObj): KubeObj =>
    store.get(resource, obj.metadata.namespace, obj.metadata.name) ?? store.create(resource, obj);

  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    ensure('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    ensure('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns },
    });
  }
  for (const sa of ['coredns', 'kube-proxy']) {
    ensure('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: sa, namespace: 'kube-system' },
    });
  }

  const now = timestamp(clock());
  const nodeSpecs = [
    { name: controlPlaneNodeName, address: controlPlaneAddress, cidrIndex: workers, controlPlane: true },
    ...Array.from({ length: workers }, (_, i) => ({
      name: `worker-${i}`,
      address: workerAddress(i),
      cidrIndex: i,
      controlPlane: false,
    })),
  ];
  const nodes = nodeSpecs.map((n) => {
    const node = ensure('nodes', nodeObject(n, config.podCidr !== false, version, now));
    ensure('leases', leaseFor(node, clock().toISOString().replace(/Z$/, '000Z')));
    return node;
  });
  const controlPlane = nodes[0]!;

  ensure('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  apiserverEndpoints(ensure);

  ensure('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: corefile(clusterDomain) },
  });
  ensure('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });

  const pods = store.list('pods', 'kube-system');
  const running = (pod: KubeObj, node: KubeObj, podIp: string) => ensureRunningPod(store, pod, node, podIp, now, pods);
  const cidr = controlPlane.spec?.podCIDR ?? `10.200.${workers}.0/24`;
  bootstrapCoreDns(store, controlPlane, cidr, running, clock);
  for (const pod of controlPlaneStaticPods({
    node: controlPlane,
    advertiseAddress: controlPlaneAddress,
    kubernetesVersion: version,
    serviceCidr: config.serviceCidr ?? '10.96.0.0/12',
    clusterCidr,
    clusterDomain,
    encryption: Boolean(config.encryption),
  })) {
    running(pod, controlPlane, controlPlaneAddress);
  }
  for (const node of nodes) {
    const hostIp = node.status.addresses[0].address;
    const existing = pods.find(
      (p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy' && p.spec?.nodeName === node.metadata.name,
    );
    if (!existing) running(kubeProxyPod(node.metadata.name, randomSuffix(), version), node, hostIp);
  }
  publishEndpointSlice({ store, clock }, 'kube-system/kube-dns');
}

function nodeObject(
  n: { name: string; address: string; cidrIndex: number; controlPlane: boolean },
  withPodCidr: boolean,
  version: string,
  now: string,
): KubeObj {
  const podCidr = `10.200.${n.cidrIndex}.0/24`;
  const spec: Json = {};
  if (withPodCidr) Object.assign(spec, { podCIDR: podCidr, podCIDRs: [podCidr] });
  if (n.controlPlane) spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
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
        ...(n.controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec,
    status: {
      addresses: [
        { address: n.address, type: 'InternalIP' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: { ...capacity, 'ephemeral-storage': '18556039957', memory: '3912752Ki' },
      capacity,
      conditions: healthyNodeConditions([], now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: randomUUID(),
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.1.0-28-amd64',
        kubeProxyVersion: version,
        kubeletVersion: version,
        machineID: randomBytes(16).toString('hex'),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: randomUUID(),
      },
    },
  };
}

/** The `kubernetes` Service's endpoints are the API server's own (it writes them, not the controller). */
function apiserverEndpoints(ensure: (r: string, o: KubeObj) => KubeObj): void {
  const port = { name: 'https', port: 6443, protocol: 'TCP' };
  ensure('endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [controlPlaneAddress], conditions: { ready: true } }],
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
    subsets: [{ addresses: [{ ip: controlPlaneAddress }], ports: [port] }],
  });
}

/** CoreDNS as kubeadm deploys it: Deployment → ReplicaSet → two pods on the control plane. */
function bootstrapCoreDns(
  store: SimStore,
  controlPlane: KubeObj,
  cidr: string,
  running: (pod: KubeObj, node: KubeObj, ip: string) => void,
  clock: () => Date,
): void {
  const labels = { 'k8s-app': 'kube-dns' };
  const deployment =
    store.get('deployments', 'kube-system', 'coredns') ??
    store.create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
        template: { metadata: { labels }, spec: corednsPodSpec() },
      },
    });
  // The hash of the template as stored (defaults filled), so the Deployment controller finds this ReplicaSet.
  const hash = podTemplateHash(deployment.spec.template);
  const rsName = `coredns-${hash}`;
  const template = structuredClone(deployment.spec.template);
  template.metadata.labels = { ...labels, 'pod-template-hash': hash };
  const rs =
    store.get('replicasets', 'kube-system', rsName) ??
    store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: 'kube-system',
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '2',
          'deployment.kubernetes.io/max-replicas': '3',
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [ownerReferenceTo(deployment)],
      },
      spec: { replicas: 2, selector: { matchLabels: template.metadata.labels }, template },
    });
  if (!deployment.metadata.annotations?.['deployment.kubernetes.io/revision']) {
    deployment.metadata.annotations = {
      ...(deployment.metadata.annotations ?? {}),
      'deployment.kubernetes.io/revision': '1',
    };
    store.update('deployments', deployment);
  }
  const base = cidr.split('.').slice(0, 3).join('.');
  const owned = store
    .list('pods', 'kube-system')
    .filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
  for (let i = owned.length; i < 2; i++) {
    running(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${rsName}-${randomSuffix()}`,
          namespace: 'kube-system',
          labels: template.metadata.labels,
          ownerReferences: [ownerReferenceTo(rs)],
        },
        spec: { ...structuredClone(template.spec), nodeName: controlPlane.metadata.name },
      },
      controlPlane,
      `${base}.${2 + i}`,
    );
  }
  const pods = store
    .list('pods', 'kube-system')
    .filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
  writeReplicaSetStatus({ store }, store.get('replicasets', 'kube-system', rsName)!, pods);
  const storedRs = store.get('replicasets', 'kube-system', rsName)!;
  writeDeploymentStatus({ store, clock }, store.get('deployments', 'kube-system', 'coredns')!, [storedRs], storedRs);
}

function corednsPodSpec(): Json {
  return {
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'coredns',
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    containers: [
      {
        name: 'coredns',
        image: corednsImage,
        imagePullPolicy: 'IfNotPresent',
        args: ['-conf', '/etc/coredns/Corefile'],
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
        ],
        livenessProbe: {
          httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
          initialDelaySeconds: 60,
          timeoutSeconds: 5,
          successThreshold: 1,
          failureThreshold: 5,
        },
        readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
      },
    ],
    dnsPolicy: 'Default',
    volumes: [
      { name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } },
    ],
  };
}

function corefile(domain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${domain}
       disable denial ${domain}
    }
    loop
    reload
    loadbalance
}
`;
}

/** Creates a pod as its kubelet would have left it: Running, every container started. */
function ensureRunningPod(
  store: SimStore,
  pod: KubeObj,
  node: KubeObj,
  podIp: string,
  now: string,
  existing: KubeObj[],
): void {
  if (
    existing.some((p) => p.metadata.name === pod.metadata.name) ||
    store.get('pods', pod.metadata.namespace, pod.metadata.name)
  )
    return;
  const hostIp = node.status.addresses[0].address;
  const containers: Json[] = pod.spec.containers;
  store.create('pods', {
    ...pod,
    spec: { ...pod.spec, nodeName: node.metadata.name },
    status: {
      phase: 'Running',
      conditions: podConditions([], { sandboxReady: true, notReady: [] }, now),
      hostIP: hostIp,
      hostIPs: [{ ip: hostIp }],
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: now,
      containerStatuses: containers.map((c) =>
        runningContainerStatus(c, {
          containerId: `containerd://${hex64()}`,
          startedAt: now,
          restartCount: 0,
          running: true,
          nextBackoffMs: 0,
        }),
      ),
    },
  });
}
