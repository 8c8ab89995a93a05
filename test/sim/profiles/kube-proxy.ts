/**
 * kube-proxy as the profiles run it: kubeadm's DaemonSet and ConfigMap
 * (cmd/kubeadm/app/phases/addons/proxy/manifests.go: DaemonSet `kube-proxy`, label
 * `k8s-app: kube-proxy`, `--config=/var/lib/kube-proxy/config.conf`, ConfigMap `kube-proxy` with
 * keys `config.conf` and `kubeconfig.conf`; KubeProxyConfiguration's `mode` has no omitempty, so
 * an unset mode is written `mode: ""` = iptables), or GKE Dataplane V1's static
 * `kube-proxy-<node>` mirror pods.
 */
import type { KubeObj } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';
import { kubeProxyPod } from '../kubelet/static-pods.js';
import { configMap, daemonSet } from './kube-system.js';
import type { ClusterShape } from './types.js';

export function kubeProxyDaemonSet(version: string): KubeObj {
  const spec: Json = structuredClone(kubeProxyPod('', '', version).spec);
  delete spec.nodeName;
  return daemonSet('kube-proxy', { 'k8s-app': 'kube-proxy' }, spec);
}

export function kubeProxyConfigMap(shape: ClusterShape, mode = ''): KubeObj {
  const config = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'bindAddress: 0.0.0.0',
    `clusterCIDR: ${shape.clusterCidr}`,
    'kind: KubeProxyConfiguration',
    `mode: ${JSON.stringify(mode)}`,
    '',
  ].join('\n');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    `    server: https://${shape.apiserverAddress}:6443`,
    '  name: default',
    '',
  ].join('\n');
  return configMap('kube-proxy', { 'config.conf': config, 'kubeconfig.conf': kubeconfig }, { app: 'kube-proxy' });
}

/** GKE's kube-proxy static pod on one node (a mirror pod owned by the Node). */
export function kubeProxyStaticPod(node: KubeObj, version: string, clusterCidr: string): KubeObj {
  const name = node.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-proxy-${name}`,
      namespace: 'kube-system',
      labels: { component: 'kube-proxy', tier: 'node' },
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': name },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid!, controller: true }],
    },
    spec: {
      containers: [
        {
          name: 'kube-proxy',
          image: `gke.gcr.io/kube-proxy-amd64:${version}-gke.1`,
          command: [
            '/bin/sh',
            '-c',
            `exec kube-proxy --master=https://172.16.0.2 --kubeconfig=/var/lib/kube-proxy/kubeconfig --cluster-cidr=${clusterCidr} --oom-score-adj=-998 --v=2`,
          ],
          securityContext: { privileged: true },
        },
      ],
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      tolerations: [
        { effect: 'NoExecute', operator: 'Exists' },
        { effect: 'NoSchedule', operator: 'Exists' },
      ],
    },
  };
}
