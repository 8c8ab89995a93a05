/**
 * `gke`: GKE Standard, VPC-native (alias IPs), Dataplane V1.
 * - Managed control plane: no control-plane Node objects, no etcd/kube-apiserver pods.
 * - Nodes `gke-<cluster>-<pool>-<8 hex>-<4>`, providerID `gce://<project>/<zone>/<instance>`,
 *   label `cloud.google.com/gke-nodepool`; each node's spec.podCIDR is its alias /24 from the
 *   pods secondary range, and host-local hands pod IPs out of it (kubernetes/kubernetes#42147,
 *   GKE VPC-native docs) — the same IPAM as kthw, other ranges.
 * - DNS is kube-dns (Deployment `kube-dns`: kubedns, dnsmasq, sidecar, prometheus-to-sd), not
 *   CoreDNS: no `coredns` ConfigMap (GKE service-discovery docs; GKE kube-system listings).
 * - kube-proxy runs as static `kube-proxy-<node>` mirror pods (Dataplane V1); the kube-proxy
 *   DaemonSet exists with nodeSelector `node.kubernetes.io/kube-proxy-ds-ready=true` and 0 desired.
 * - Service range 34.118.224.0/20 (the GKE 1.29+ default), kube-dns at its .10.
 * - The control plane's `/metrics` is not granted to a cluster reader (unconfirmed for GKE; the
 *   managed control plane exposes no etcd and no static pods either, so encryption at rest is the
 *   provider's setting — DatabaseEncryption — not observable through the API).
 */
import { container, daemonSet, deployment } from './kube-system.js';
import type { ClusterProfile, NodeShape } from './types.js';

const zone = 'europe-west1-b';
const hash = '3f2a9c1e';

function gkeNode(i: number): NodeShape {
  const name = `gke-kubeproof-default-pool-${hash}-${['x7k2', 'q9dm', 'h4tz', 'b8wn', 'r2pf'][i % 5]}${i >= 5 ? i : ''}`;
  return {
    name,
    internalIps: [`10.132.0.${2 + i}`],
    podCidrs: [`10.52.${i}.0/24`],
    providerID: `gce://kubeproof-demo/${zone}/${name}`,
    labels: {
      'cloud.google.com/gke-boot-disk': 'pd-balanced',
      'cloud.google.com/gke-container-runtime': 'containerd',
      'cloud.google.com/gke-nodepool': 'default-pool',
      'cloud.google.com/gke-os-distribution': 'cos',
      'cloud.google.com/machine-family': 'e2',
      'node.kubernetes.io/instance-type': 'e2-medium',
      'topology.kubernetes.io/region': 'europe-west1',
      'topology.kubernetes.io/zone': zone,
    },
    annotations: { 'container.googleapis.com/instance_id': String(4_781_230_000_000_000_000n + BigInt(i)) },
    extraAddresses: [{ type: 'InternalDNS', address: `${name}.${zone}.c.kubeproof-demo.internal` }],
    controlPlane: false,
    osImage: 'Container-Optimized OS from Google',
    kernelVersion: '6.1.100+',
    containerRuntimeVersion: 'containerd://1.7.22',
  };
}

export const gke: ClusterProfile = {
  name: 'gke',
  summary:
    'GKE Standard: managed control plane, VPC-native alias podCIDRs, kube-dns (not CoreDNS), static kube-proxy pods',
  shape: (workers) => ({
    nodes: Array.from({ length: Math.max(workers, 1) }, (_, i) => gkeNode(i)),
    serviceCidrs: ['34.118.224.0/20'],
    clusterCidr: '10.52.0.0/14',
    apiserverAddress: '172.16.0.2',
    dns: 'kube-dns',
    kubeProxy: 'static-pods',
    controlPlanePods: false,
    managedControlPlane: true,
    deniedPaths: ['/metrics'],
    addons: {
      serviceAccounts: ['konnectivity-agent', 'metrics-server', 'fluentbit-gke'],
      daemonSets: [
        daemonSet(
          'kube-proxy',
          { 'k8s-app': 'kube-proxy' },
          {
            hostNetwork: true,
            nodeSelector: { 'node.kubernetes.io/kube-proxy-ds-ready': 'true' },
            containers: [container('kube-proxy', 'gke.gcr.io/kube-proxy-amd64:v1.32.3-gke.1')],
          },
        ),
        daemonSet(
          'fluentbit-gke',
          { 'k8s-app': 'fluentbit-gke' },
          {
            serviceAccountName: 'fluentbit-gke',
            hostNetwork: true,
            tolerations: [{ operator: 'Exists' }],
            containers: [
              container('fluentbit', 'gke.gcr.io/fluent-bit:v1.8.12-gke.29'),
              container('fluentbit-gke', 'gke.gcr.io/fluent-bit-gke-exporter:v0.28.0-gke.1'),
            ],
          },
        ),
      ],
      deployments: [
        deployment('konnectivity-agent', { 'k8s-app': 'konnectivity-agent' }, 1, {
          serviceAccountName: 'konnectivity-agent',
          priorityClassName: 'system-cluster-critical',
          containers: [container('konnectivity-agent', 'gke.gcr.io/proxy-agent:v0.31.0-gke.1')],
        }),
        deployment('metrics-server-v1.32.0', { 'k8s-app': 'metrics-server' }, 1, {
          serviceAccountName: 'metrics-server',
          containers: [container('metrics-server', 'gke.gcr.io/metrics-server:v0.7.2-gke.5')],
        }),
      ],
    },
  }),
};
