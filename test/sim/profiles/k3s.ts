/**
 * `k3s`: a single-node k3s server with its packaged components (docs.k3s.io networking and
 * cli/server; k3s-io/k3s manifests/). kube-apiserver, controller-manager, scheduler, kubelet,
 * kube-proxy and flannel run inside the one k3s process: no control-plane pods, no kube-proxy
 * pods, no flannel pods. The node is labelled control-plane/master (`=true`) and not tainted;
 * flannel hands pod IPs out of the node's podCIDR from 10.42.0.0/16; Services come from
 * 10.43.0.0/16 (kube-dns 10.43.0.10). Packaged add-ons: CoreDNS (ConfigMap with `Corefile` and
 * `NodeHosts`), local-path-provisioner, metrics-server, traefik, and ServiceLB's
 * `svclb-traefik-<hash>` DaemonSet. The encryption configuration lives on the server host only
 * (`/var/lib/rancher/k3s/server/cred/encryption-config.json`, docs.k3s.io security/secrets-encryption).
 */
import { configMap, container, daemonSet, deployment } from './kube-system.js';
import type { ClusterProfile } from './types.js';

export const k3sNodeName = 'k3s-server';
const ip = '10.10.0.5';

export const k3s: ClusterProfile = {
  name: 'k3s',
  summary: 'k3s single node: embedded control plane, kube-proxy and flannel (no pods), CoreDNS, ServiceLB, traefik',
  shape: () => ({
    nodes: [
      {
        name: k3sNodeName,
        internalIps: [ip],
        podCidrs: ['10.42.0.0/24'],
        providerID: `k3s://${k3sNodeName}`,
        labels: {
          'node-role.kubernetes.io/control-plane': 'true',
          'node-role.kubernetes.io/master': 'true',
          'node.kubernetes.io/instance-type': 'k3s',
        },
        annotations: {
          'flannel.alpha.coreos.com/backend-type': 'vxlan',
          'flannel.alpha.coreos.com/public-ip': ip,
          'k3s.io/hostname': k3sNodeName,
          'k3s.io/internal-ip': ip,
          'k3s.io/node-args': '["server","--write-kubeconfig-mode","644"]',
        },
        controlPlane: true,
        osImage: 'Ubuntu 24.04.1 LTS',
        kernelVersion: '6.8.0-49-generic',
        containerRuntimeVersion: 'containerd://1.7.23-k3s2',
      },
    ],
    serviceCidrs: ['10.43.0.0/16'],
    clusterCidr: '10.42.0.0/16',
    apiserverAddress: ip,
    dns: 'coredns',
    kubeProxy: 'embedded',
    controlPlanePods: false,
    managedControlPlane: false,
    addons: {
      serviceAccounts: ['local-path-provisioner-service-account', 'metrics-server', 'traefik'],
      configMaps: [
        configMap('local-path-config', {
          'config.json':
            '{"nodePathMap":[{"node":"DEFAULT_PATH_FOR_NON_LISTED_NODES","paths":["/var/lib/rancher/k3s/storage"]}]}',
        }),
      ],
      daemonSets: [
        daemonSet(
          'svclb-traefik-4b2c1a9e',
          { app: 'svclb-traefik-4b2c1a9e', 'svccontroller.k3s.cattle.io/svcname': 'traefik' },
          {
            tolerations: [{ operator: 'Exists' }],
            containers: [
              container('lb-tcp-80', 'rancher/klipper-lb:v0.4.9', {
                ports: [{ containerPort: 80, hostPort: 80, name: 'lb-tcp-80', protocol: 'TCP' }],
              }),
              container('lb-tcp-443', 'rancher/klipper-lb:v0.4.9', {
                ports: [{ containerPort: 443, hostPort: 443, name: 'lb-tcp-443', protocol: 'TCP' }],
              }),
            ],
          },
        ),
      ],
      deployments: [
        deployment('local-path-provisioner', { app: 'local-path-provisioner' }, 1, {
          serviceAccountName: 'local-path-provisioner-service-account',
          containers: [container('local-path-provisioner', 'rancher/local-path-provisioner:v0.0.30')],
        }),
        deployment('metrics-server', { 'k8s-app': 'metrics-server' }, 1, {
          serviceAccountName: 'metrics-server',
          containers: [container('metrics-server', 'rancher/mirrored-metrics-server:v0.7.2')],
        }),
        deployment(
          'traefik',
          { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' },
          1,
          {
            serviceAccountName: 'traefik',
            containers: [container('traefik', 'rancher/mirrored-library-traefik:3.1.2')],
          },
        ),
      ],
    },
  }),
  // k3s (and RKE2) sign the API server's kubelet client certificate, server/tls/client-kube-apiserver.crt,
  // for CN system:apiserver (what `k3s certificate check` / `rke2 certificate check` list).
  apiserverKubeletUser: 'system:apiserver',
  refusedFaults: {
    'cni-cross-node': 'k3s here is a single node: there is no cross-node pod traffic to break',
    'scheduler-binpack':
      'k3s here is a single node: every pod lands on it whatever the scoring, so packing cannot show',
  },
};
