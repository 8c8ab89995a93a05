/**
 * The cluster DNS a profile runs behind the `kube-dns` Service: CoreDNS as kubeadm deploys it
 * (cmd/kubeadm/app/phases/addons/dns/manifests.go: Deployment `coredns`, label
 * `k8s-app: kube-dns`, ConfigMap `coredns` with the Corefile), or GKE's kube-dns (Deployment
 * `kube-dns` with kubedns, dnsmasq, sidecar and prometheus-to-sd containers, no Corefile;
 * kubernetes/kubernetes cluster/addons/dns/kube-dns/kube-dns.yaml.in).
 */
import type { KubeObj } from '../contracts.js';
import type { Json } from '../controllers/kit/objects.js';
import { configMap, container, deployment } from './kube-system.js';

const corednsImage = 'registry.k8s.io/coredns/coredns:v1.11.3';
const dnsLabels = { 'k8s-app': 'kube-dns' };

export function corednsDeployment(replicas = 2): KubeObj {
  return deployment('coredns', dnsLabels, replicas, corednsPodSpec());
}

export function corednsConfigMap(domain: string): KubeObj {
  return configMap('coredns', { Corefile: corefile(domain) });
}

/** GKE Standard's kube-dns: dnsmasq answers on :53 and forwards to kubedns on :10053. */
export function kubeDnsDeployment(domain: string, replicas = 2): KubeObj {
  const dnsPorts = (port: number) => [
    { containerPort: port, name: 'dns-local', protocol: 'UDP' },
    { containerPort: port, name: 'dns-tcp-local', protocol: 'TCP' },
  ];
  return deployment('kube-dns', dnsLabels, replicas, {
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'kube-dns',
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'components.gke.io/gke-managed-components', operator: 'Exists' },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    dnsPolicy: 'Default',
    containers: [
      container('kubedns', 'gke.gcr.io/k8s-dns-kube-dns:1.23.0-gke.9', {
        args: [`--domain=${domain}.`, '--dns-port=10053', '--config-dir=/kube-dns-config', '--v=2'],
        ports: [...dnsPorts(10053), { containerPort: 10055, name: 'metrics', protocol: 'TCP' }],
        resources: { limits: { memory: '210Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
      }),
      container('dnsmasq', 'gke.gcr.io/k8s-dns-dnsmasq-nanny:1.23.0-gke.9', {
        args: [
          '-v=2',
          '-logtostderr',
          '-configDir=/etc/k8s/dns/dnsmasq-nanny',
          '-restartDnsmasq=true',
          '--',
          '-k',
          '--cache-size=1000',
          '--no-negcache',
          '--dns-forward-max=1500',
          '--log-facility=-',
          `--server=/${domain}/127.0.0.1#10053`,
          '--server=/in-addr.arpa/127.0.0.1#10053',
          '--server=/ip6.arpa/127.0.0.1#10053',
        ],
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
        ],
        resources: { requests: { cpu: '150m', memory: '20Mi' } },
      }),
      container('sidecar', 'gke.gcr.io/k8s-dns-sidecar:1.23.0-gke.9', {
        args: [
          '--v=2',
          '--logtostderr',
          `--probe=kubedns,127.0.0.1:10053,kubernetes.default.svc.${domain},5,SRV`,
          `--probe=dnsmasq,127.0.0.1:53,kubernetes.default.svc.${domain},5,SRV`,
        ],
        ports: [{ containerPort: 10054, name: 'metrics', protocol: 'TCP' }],
      }),
      container('prometheus-to-sd', 'gke.gcr.io/prometheus-to-sd:v0.11.12-gke.11', {
        command: [
          '/monitor',
          '--source=kubedns:http://localhost:10054?whitelisted=probe_kubedns_latency_ms,probe_kubedns_errors,dnsmasq_misses,dnsmasq_hits',
        ],
      }),
    ],
  });
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

export function corefile(domain: string): string {
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
