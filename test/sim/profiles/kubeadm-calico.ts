/**
 * `kubeadm-calico`: kubeadm with Calico's manifest install.
 * - kubeadm: `--pod-network-cidr=192.168.0.0/16` makes kube-controller-manager allocate
 *   node podCIDRs (192.168.<n>.0/24, cmd/kubeadm/app/phases/controlplane/manifests.go
 *   `--allocate-node-cidrs=true --cluster-cidr`); the control-plane node is labelled and tainted
 *   `node-role.kubernetes.io/control-plane:NoSchedule`; etcd/kube-apiserver/… are static pods;
 *   kube-proxy is a DaemonSet with ConfigMap `kube-proxy` (`mode: ""`); CoreDNS a Deployment.
 * - Calico (projectcalico/calico manifests/calico.yaml): DaemonSet `calico-node`, Deployment
 *   `calico-kube-controllers`; calico-ipam hands out addresses from /26 IPAM blocks of IPPool
 *   `default-ipv4-ippool` (CALICO_IPV4POOL_CIDR 192.168.0.0/16), affine to a node, and ignores
 *   node.spec.podCIDR; the first address of a node's block is its IPIP tunnel address (node
 *   annotation `projectcalico.org/IPv4IPIPTunnelAddr`), pods get the following ones.
 */
import { subnetAt } from '../network/ip.js';
import { controlPlaneLabels, controlPlaneTaint, kubeadmNodeAnnotations } from './kthw.js';
import { configMap, container, daemonSet, deployment } from './kube-system.js';
import type { ClusterProfile, NodeShape } from './types.js';

const pool = '192.168.0.0/16';
/** A node's first IPAM block: spread over the upper half of the pool, away from the kcm /24s. */
const blockOf = (i: number) => subnetAt(pool, 26, 4 * (130 + 17 * i) + 1);
const tunnelAddress = (block: string) => block.split('/')[0]!;

function calicoNode(name: string, ip: string, index: number, controlPlane: boolean): NodeShape {
  const block = blockOf(index);
  return {
    name,
    internalIps: [ip],
    podCidrs: [`192.168.${index}.0/24`],
    // The block's first address is the tunnel address; pods draw from the rest of the block.
    podRanges: [block],
    labels: controlPlane ? controlPlaneLabels : {},
    annotations: {
      ...kubeadmNodeAnnotations,
      'projectcalico.org/IPv4Address': `${ip}/24`,
      'projectcalico.org/IPv4IPIPTunnelAddr': tunnelAddress(block),
    },
    taints: controlPlane ? [controlPlaneTaint] : [],
    controlPlane,
    osImage: 'Ubuntu 24.04.1 LTS',
    kernelVersion: '6.8.0-49-generic',
  };
}

const calicoImage = (name: string) => `docker.io/calico/${name}:v3.29.1`;

export const kubeadmCalico: ClusterProfile = {
  name: 'kubeadm-calico',
  summary:
    'kubeadm + Calico: tainted control plane, static pods, kube-proxy DaemonSet, calico-ipam /26 blocks (not node podCIDRs)',
  shape: (workers) => ({
    nodes: [
      calicoNode('controlplane', '10.0.0.10', 0, true),
      ...Array.from({ length: workers }, (_, i) => calicoNode(`worker-${i}`, `10.0.0.${20 + i}`, i + 1, false)),
    ],
    serviceCidrs: ['10.96.0.0/12'],
    clusterCidr: pool,
    apiserverAddress: '10.0.0.10',
    dns: 'coredns',
    kubeProxy: 'daemonset',
    controlPlanePods: true,
    managedControlPlane: false,
    addons: {
      serviceAccounts: ['calico-node', 'calico-kube-controllers'],
      configMaps: [
        configMap('calico-config', {
          calico_backend: 'bird',
          cni_network_config:
            '{"name":"k8s-pod-network","cniVersion":"0.3.1","plugins":[{"type":"calico","ipam":{"type":"calico-ipam"}}]}',
          typha_service_name: 'none',
          veth_mtu: '0',
        }),
      ],
      daemonSets: [
        daemonSet(
          'calico-node',
          { 'k8s-app': 'calico-node' },
          {
            hostNetwork: true,
            serviceAccountName: 'calico-node',
            priorityClassName: 'system-node-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              { effect: 'NoSchedule', operator: 'Exists' },
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { effect: 'NoExecute', operator: 'Exists' },
            ],
            initContainers: [
              container('upgrade-ipam', calicoImage('cni')),
              container('install-cni', calicoImage('cni')),
            ],
            containers: [
              container('calico-node', calicoImage('node'), {
                env: [
                  { name: 'CALICO_IPV4POOL_CIDR', value: pool },
                  { name: 'CALICO_IPV4POOL_IPIP', value: 'Always' },
                  { name: 'CLUSTER_TYPE', value: 'k8s,bgp' },
                ],
                securityContext: { privileged: true },
              }),
            ],
          },
        ),
      ],
      deployments: [
        deployment('calico-kube-controllers', { 'k8s-app': 'calico-kube-controllers' }, 1, {
          serviceAccountName: 'calico-kube-controllers',
          priorityClassName: 'system-cluster-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          containers: [
            container('calico-kube-controllers', calicoImage('kube-controllers'), {
              env: [{ name: 'ENABLED_CONTROLLERS', value: 'node' }],
            }),
          ],
        }),
      ],
    },
  }),
};
