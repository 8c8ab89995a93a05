/**
 * `eks`: Amazon EKS with managed node groups and the AWS VPC CNI.
 * - No control-plane Node objects and no control-plane pods; etcd and the
 *   EncryptionConfiguration are not reachable through the API (KMS envelope encryption is an
 *   AWS setting, awsdocs amazon-eks-user-guide security/envelope-encryption.adoc).
 * - Nodes `ip-<a>-<b>-<c>-<d>.<region>.compute.internal`, providerID `aws:///<az>/<instance-id>`
 *   (kubernetes/cloud-provider-aws pkg/providers/v2/instances.go), labels
 *   `eks.amazonaws.com/nodegroup`, `eks.amazonaws.com/capacityType`; no spec.podCIDR.
 * - aws-node DaemonSet (containers aws-node + aws-eks-nodeagent, init aws-vpc-cni-init;
 *   aws/amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml): pods get secondary IPs of the node's
 *   ENIs, from the node's own VPC subnet.
 * - kube-proxy DaemonSet with ConfigMap `kube-proxy-config` (`mode: "iptables"`), CoreDNS
 *   Deployment; Service CIDR 10.100.0.0/16, kube-dns 10.100.0.10 (awslabs/amazon-eks-ami).
 * - `/metrics` is a non-resource URL the audit user's cluster-reader role does not grant.
 */
import { configMap, container, daemonSet } from './kube-system.js';
import type { ClusterProfile, NodeShape } from './types.js';

const region = 'us-west-2';

function eksNode(i: number): NodeShape {
  // eksctl's default VPC 192.168.0.0/16 with /19 subnets, one node per subnet/AZ here.
  const third = 32 * (i % 3) + 7 + Math.floor(i / 3);
  const ip = `192.168.${third}.${41 + 13 * i}`;
  const zone = `${region}${'abc'[i % 3]}`;
  return {
    name: `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`,
    internalIps: [ip],
    // Secondary IPs of the node's ENIs: a slice of the same subnet.
    podRanges: [`192.168.${third}.128/25`],
    providerID: `aws:///${zone}/i-0${(0x4a3f9c2d7e1b + i * 0x1d3).toString(16)}`,
    labels: {
      'eks.amazonaws.com/capacityType': 'ON_DEMAND',
      'eks.amazonaws.com/nodegroup': 'default',
      'eks.amazonaws.com/nodegroup-image': 'ami-0c5b5e9a3f6d2a1b4',
      'node.kubernetes.io/instance-type': 'm5.large',
      'topology.kubernetes.io/region': region,
      'topology.kubernetes.io/zone': zone,
    },
    extraAddresses: [{ type: 'InternalDNS', address: `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal` }],
    controlPlane: false,
    osImage: 'Amazon Linux 2023.6.20241121',
    kernelVersion: '6.1.115-126.197.amzn2023.x86_64',
    containerRuntimeVersion: 'containerd://1.7.23',
  };
}

const ecr = (repo: string, tag: string) => `602401143452.dkr.ecr.${region}.amazonaws.com/${repo}:${tag}`;

export const eks: ClusterProfile = {
  name: 'eks',
  summary:
    'Amazon EKS: managed control plane, aws-node VPC CNI (pod IPs from the node subnet, no podCIDR), kube-proxy DaemonSet, /metrics denied',
  shape: (workers) => ({
    nodes: Array.from({ length: Math.max(workers, 1) }, (_, i) => eksNode(i)),
    serviceCidrs: ['10.100.0.0/16'],
    clusterCidr: '192.168.0.0/16',
    // The API server's ENIs in the customer VPC.
    apiserverAddress: '192.168.120.5',
    dns: 'coredns',
    kubeProxy: 'daemonset',
    controlPlanePods: false,
    managedControlPlane: true,
    deniedPaths: ['/metrics'],
    addons: {
      serviceAccounts: ['aws-node'],
      configMaps: [
        configMap('amazon-vpc-cni', { 'enable-network-policy-controller': 'false', 'warm-ip-target': '1' }),
        configMap(
          'kube-proxy-config',
          {
            config:
              'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nclusterCIDR: ""\nkind: KubeProxyConfiguration\nmode: "iptables"\n',
          },
          { 'eks.amazonaws.com/component': 'kube-proxy', 'k8s-app': 'kube-proxy' },
        ),
      ],
      daemonSets: [
        daemonSet(
          'aws-node',
          { 'k8s-app': 'aws-node' },
          {
            hostNetwork: true,
            serviceAccountName: 'aws-node',
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            initContainers: [container('aws-vpc-cni-init', ecr('amazon-k8s-cni-init', 'v1.19.0-eksbuild.1'))],
            containers: [
              container('aws-node', ecr('amazon-k8s-cni', 'v1.19.0-eksbuild.1'), {
                env: [
                  { name: 'AWS_VPC_K8S_CNI_EXTERNALSNAT', value: 'false' },
                  { name: 'ENABLE_PREFIX_DELEGATION', value: 'false' },
                ],
              }),
              container('aws-eks-nodeagent', ecr('amazon/aws-network-policy-agent', 'v1.1.5-eksbuild.1'), {
                args: ['--enable-network-policy=false'],
              }),
            ],
          },
        ),
      ],
    },
  }),
  refusedFaults: {},
};
