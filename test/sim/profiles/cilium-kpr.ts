/**
 * `cilium-kpr`: kubeadm with Cilium as CNI and kube-proxy replacement
 * (cilium/cilium install/kubernetes/cilium/values.yaml: `kubeProxyReplacement: true`,
 * `ipam.mode: cluster-pool`, `clusterPoolIPv4PodCIDRList: ["10.0.0.0/8"]`, mask /24).
 * No kube-proxy at all (kubeadm init --skip-phases=addon/kube-proxy): Services are balanced by
 * Cilium's eBPF socket load balancer, which picks a backend per connect() — per connection, as
 * iptables' random rules do. Pod IPs come from the node's CiliumNode `spec.ipam.podCIDRs`
 * (10.0.<n>.0/24), not from node.spec.podCIDR, which kube-controller-manager still sets
 * (10.244.<n>.0/24) but Cilium ignores in cluster-pool mode. kube-system: DaemonSets `cilium`
 * and `cilium-envoy`, Deployments `cilium-operator` and `coredns`, ConfigMap `cilium-config`.
 */

import { controlPlaneLabels, controlPlaneTaint, kubeadmNodeAnnotations } from './kthw.js';
import { configMap, container, daemonSet, deployment } from './kube-system.js';
import type { ClusterProfile, NodeShape } from './types.js';

const ciliumImage = (name: string) => `quay.io/cilium/${name}:v1.16.4`;

function ciliumNode(name: string, ip: string, index: number, controlPlane: boolean): NodeShape {
  return {
    name,
    internalIps: [ip],
    podCidrs: [`10.244.${index}.0/24`],
    podRanges: [`10.0.${index}.0/24`],
    labels: controlPlane ? controlPlaneLabels : {},
    annotations: {
      ...kubeadmNodeAnnotations,
      'network.cilium.io/ipv4-cilium-host': `10.0.${index}.171`,
      'network.cilium.io/ipv4-pod-cidr': `10.0.${index}.0/24`,
    },
    taints: controlPlane ? [controlPlaneTaint] : [],
    controlPlane,
    osImage: 'Ubuntu 24.04.1 LTS',
    kernelVersion: '6.8.0-49-generic',
  };
}

export const ciliumKpr: ClusterProfile = {
  name: 'cilium-kpr',
  summary:
    'kubeadm + Cilium kube-proxy replacement: no kube-proxy, eBPF per-connection Service LB, cluster-pool IPAM (not node podCIDRs)',
  shape: (workers) => ({
    nodes: [
      ciliumNode('controlplane', '10.1.0.10', 0, true),
      ...Array.from({ length: workers }, (_, i) => ciliumNode(`worker-${i}`, `10.1.0.${20 + i}`, i + 1, false)),
    ],
    serviceCidrs: ['10.96.0.0/12'],
    clusterCidr: '10.244.0.0/16',
    apiserverAddress: '10.1.0.10',
    dns: 'coredns',
    kubeProxy: 'none',
    controlPlanePods: true,
    managedControlPlane: false,
    addons: {
      serviceAccounts: ['cilium', 'cilium-envoy', 'cilium-operator'],
      configMaps: [
        configMap('cilium-config', {
          'cluster-name': 'default',
          'cluster-pool-ipv4-cidr': '10.0.0.0/8',
          'cluster-pool-ipv4-mask-size': '24',
          ipam: 'cluster-pool',
          'kube-proxy-replacement': 'true',
          'routing-mode': 'tunnel',
          'tunnel-protocol': 'vxlan',
        }),
      ],
      daemonSets: [
        daemonSet(
          'cilium',
          { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' },
          {
            hostNetwork: true,
            serviceAccountName: 'cilium',
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            initContainers: [
              container('config', ciliumImage('cilium')),
              container('mount-cgroup', ciliumImage('cilium')),
              container('install-cni-binaries', ciliumImage('cilium')),
            ],
            containers: [
              container('cilium-agent', ciliumImage('cilium'), {
                command: ['cilium-agent'],
                args: ['--config-dir=/tmp/cilium/config-map'],
                securityContext: { privileged: true },
              }),
            ],
          },
        ),
        daemonSet(
          'cilium-envoy',
          { 'k8s-app': 'cilium-envoy', 'app.kubernetes.io/name': 'cilium-envoy' },
          {
            hostNetwork: true,
            serviceAccountName: 'cilium-envoy',
            tolerations: [{ operator: 'Exists' }],
            containers: [container('cilium-envoy', 'quay.io/cilium/cilium-envoy:v1.30.7')],
          },
        ),
      ],
      deployments: [
        deployment('cilium-operator', { 'io.cilium/app': 'operator', name: 'cilium-operator' }, 1, {
          hostNetwork: true,
          serviceAccountName: 'cilium-operator',
          tolerations: [{ operator: 'Exists' }],
          containers: [
            container('cilium-operator', ciliumImage('operator-generic'), { command: ['cilium-operator-generic'] }),
          ],
        }),
      ],
    },
  }),
  refusedFaults: {
    'kube-proxy-down':
      "cilium-kpr has no kube-proxy: Cilium's agent programs Services (a stopped cilium-agent is not the same failure)",
  },
};
