/**
 * The kubeadm static pods of the control-plane node (their mirror pods, as the API shows
 * them) and the per-node kube-proxy pods, with the command lines kubeadm writes.
 */
import type { KubeObj } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';

export interface ControlPlaneOptions {
  node: KubeObj;
  advertiseAddress: string;
  kubernetesVersion: string;
  serviceCidr: string;
  clusterCidr: string;
  clusterDomain: string;
  /** Adds --encryption-provider-config (and its mount) to kube-apiserver. */
  encryption: boolean;
}

const pki = { name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } };
const caCerts = { name: 'ca-certs', hostPath: { path: '/etc/ssl/certs', type: 'DirectoryOrCreate' } };

function hostPathVolumes(volumes: Json[]): { volumes: Json[]; volumeMounts: Json[] } {
  return {
    volumes,
    volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: v.hostPath.path, readOnly: v.name !== 'etcd-data' })),
  };
}

function probe(port: number, path: string, host: string, scheme: 'HTTP' | 'HTTPS', failureThreshold: number): Json {
  return {
    failureThreshold,
    httpGet: { host, path, port, scheme },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 15,
  };
}

function mirrorPod(
  opts: ControlPlaneOptions,
  component: string,
  image: string,
  command: string[],
  extra: Json,
): KubeObj {
  const nodeName = opts.node.metadata.name;
  const hash = Buffer.from(`${component}/${command.join(' ')}`)
    .toString('base64url')
    .slice(0, 32)
    .toLowerCase();
  const { volumes, volumeMounts } = hostPathVolumes(extra.volumes);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${nodeName}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: {
        ...(extra.annotations ?? {}),
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': new Date().toISOString(),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: nodeName, uid: opts.node.metadata.uid!, controller: true },
      ],
    },
    spec: {
      containers: [
        {
          name: component,
          image,
          imagePullPolicy: 'IfNotPresent',
          command,
          livenessProbe: extra.livenessProbe,
          resources: { requests: { cpu: extra.cpu } },
          volumeMounts,
        },
      ],
      hostNetwork: true,
      nodeName,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes,
    },
  };
}

export function controlPlaneStaticPods(opts: ControlPlaneOptions): KubeObj[] {
  const ip = opts.advertiseAddress;
  const name = opts.node.metadata.name;
  const etcd = mirrorPod(
    opts,
    'etcd',
    'registry.k8s.io/etcd:3.5.16-0',
    [
      'etcd',
      `--advertise-client-urls=https://${ip}:2379`,
      '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
      '--client-cert-auth=true',
      '--data-dir=/var/lib/etcd',
      '--experimental-initial-corrupt-check=true',
      '--experimental-watch-progress-notify-interval=5s',
      `--initial-advertise-peer-urls=https://${ip}:2380`,
      `--initial-cluster=${name}=https://${ip}:2380`,
      '--key-file=/etc/kubernetes/pki/etcd/server.key',
      `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
      '--listen-metrics-urls=http://127.0.0.1:2381',
      `--listen-peer-urls=https://${ip}:2380`,
      `--name=${name}`,
      '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
      '--peer-client-cert-auth=true',
      '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
      '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      '--snapshot-count=10000',
      '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    ],
    {
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
      cpu: '100m',
      livenessProbe: probe(2381, '/livez', '127.0.0.1', 'HTTP', 8),
      volumes: [
        { name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' } },
        { name: 'etcd-data', hostPath: { path: '/var/lib/etcd', type: 'DirectoryOrCreate' } },
      ],
    },
  );
  const apiserverCommand = [
    'kube-apiserver',
    `--advertise-address=${ip}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    ...(opts.encryption ? ['--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml'] : []),
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--etcd-servers=https://127.0.0.1:2379',
    '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
    '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6443',
    `--service-account-issuer=https://kubernetes.default.svc.${opts.clusterDomain}`,
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    `--service-cluster-ip-range=${opts.serviceCidr}`,
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ];
  const apiserver = mirrorPod(
    opts,
    'kube-apiserver',
    `registry.k8s.io/kube-apiserver:${opts.kubernetesVersion}`,
    apiserverCommand,
    {
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
      cpu: '250m',
      livenessProbe: probe(6443, '/livez', ip, 'HTTPS', 8),
      volumes: [
        caCerts,
        { name: 'etc-ca-certificates', hostPath: { path: '/etc/ca-certificates', type: 'DirectoryOrCreate' } },
        ...(opts.encryption
          ? [{ name: 'enc', hostPath: { path: '/etc/kubernetes/enc', type: 'DirectoryOrCreate' } }]
          : []),
        pki,
        {
          name: 'usr-local-share-ca-certificates',
          hostPath: { path: '/usr/local/share/ca-certificates', type: 'DirectoryOrCreate' },
        },
        {
          name: 'usr-share-ca-certificates',
          hostPath: { path: '/usr/share/ca-certificates', type: 'DirectoryOrCreate' },
        },
      ],
    },
  );
  const controllerManager = mirrorPod(
    opts,
    'kube-controller-manager',
    `registry.k8s.io/kube-controller-manager:${opts.kubernetesVersion}`,
    [
      'kube-controller-manager',
      '--allocate-node-cidrs=true',
      '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--bind-address=127.0.0.1',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      `--cluster-cidr=${opts.clusterCidr}`,
      '--cluster-name=kubernetes',
      '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
      '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
      '--controllers=*,bootstrapsigner,tokencleaner',
      '--kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--leader-elect=true',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--root-ca-file=/etc/kubernetes/pki/ca.crt',
      '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
      `--service-cluster-ip-range=${opts.serviceCidr}`,
      '--use-service-account-credentials=true',
    ],
    {
      cpu: '200m',
      livenessProbe: probe(10257, '/healthz', '127.0.0.1', 'HTTPS', 8),
      volumes: [
        caCerts,
        { name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/controller-manager.conf', type: 'FileOrCreate' } },
        pki,
      ],
    },
  );
  const scheduler = mirrorPod(
    opts,
    'kube-scheduler',
    `registry.k8s.io/kube-scheduler:${opts.kubernetesVersion}`,
    [
      'kube-scheduler',
      '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
      '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
      '--bind-address=127.0.0.1',
      '--kubeconfig=/etc/kubernetes/scheduler.conf',
      '--leader-elect=true',
    ],
    {
      cpu: '100m',
      livenessProbe: probe(10259, '/livez', '127.0.0.1', 'HTTPS', 8),
      volumes: [{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/scheduler.conf', type: 'FileOrCreate' } }],
    },
  );
  return [etcd, apiserver, controllerManager, scheduler];
}

/** kube-proxy as its DaemonSet would run it on one node. */
export function kubeProxyPod(nodeName: string, suffix: string, kubernetesVersion: string): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-proxy-${suffix}`,
      namespace: 'kube-system',
      labels: { 'controller-revision-hash': '7b4c6d9f8', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
    },
    spec: {
      containers: [
        {
          name: 'kube-proxy',
          image: `registry.k8s.io/kube-proxy:${kubernetesVersion}`,
          imagePullPolicy: 'IfNotPresent',
          command: [
            '/usr/local/bin/kube-proxy',
            '--config=/var/lib/kube-proxy/config.conf',
            '--hostname-override=$(NODE_NAME)',
          ],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          securityContext: { privileged: true },
        },
      ],
      hostNetwork: true,
      nodeName,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'kube-proxy',
      tolerations: [{ operator: 'Exists' }],
    },
  };
}
