import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from './bootstrap.js';
import { createMemoryStore } from './store/index.js';

describe('bootstrapCluster', () => {
  const store = createMemoryStore();
  bootstrapCluster(store, { workers: 2 });

  it('creates the kubeadm namespaces, each with its default ServiceAccount', () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect(store.get('namespaces', undefined, ns), ns).toBeDefined();
      expect(store.get('serviceaccounts', ns, 'default'), ns).toBeDefined();
    }
  });

  it('creates a tainted control-plane node and workers with KTHW addresses and pod CIDRs', () => {
    const nodes = store.list('nodes');
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['controlplane', 'worker-0', 'worker-1']);
    const cp = store.get('nodes', undefined, 'controlplane')!;
    expect(cp.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(cp.metadata.labels).toHaveProperty('node-role.kubernetes.io/control-plane', '');
    const w1 = store.get('nodes', undefined, 'worker-1')!;
    expect(w1.status.addresses).toEqual([
      { address: '10.240.0.21', type: 'InternalIP' },
      { address: 'worker-1', type: 'Hostname' },
    ]);
    expect(w1.spec).toMatchObject({ podCIDR: '10.200.1.0/24', podCIDRs: ['10.200.1.0/24'] });
    expect(w1.status.nodeInfo.kubeletVersion).toMatch(/^v1\.32\./);
    expect(w1.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
    for (const n of nodes)
      expect(store.get('leases', 'kube-node-lease', n.metadata.name), n.metadata.name).toBeDefined();
  });

  it('creates the kubernetes and kube-dns Services with their well-known addresses and endpoints', () => {
    expect(store.get('services', 'default', 'kubernetes')!.spec.clusterIP).toBe('10.96.0.1');
    const dns = store.get('services', 'kube-system', 'kube-dns')!;
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    expect(dns.spec.ports.map((p: { name: string; protocol: string }) => `${p.name}/${p.protocol}`)).toEqual([
      'dns/UDP',
      'dns-tcp/TCP',
      'metrics/TCP',
    ]);
    const apiserverSlice = store.get('endpointslices', 'default', 'kubernetes')!;
    expect(apiserverSlice.endpoints[0].addresses).toEqual(['10.240.0.10']);
    const dnsSlice = store.list('endpointslices', 'kube-system')[0]!;
    expect(dnsSlice.endpoints.filter((e: { conditions: { ready: boolean } }) => e.conditions.ready)).toHaveLength(2);
  });

  it('runs CoreDNS (2 replicas) and the static control-plane pods as mirror pods', () => {
    const coredns = store.get('deployments', 'kube-system', 'coredns')!;
    expect(coredns.status).toMatchObject({ replicas: 2, availableReplicas: 2, readyReplicas: 2 });
    const pods = store.list('pods', 'kube-system');
    for (const name of [
      'etcd-controlplane',
      'kube-apiserver-controlplane',
      'kube-controller-manager-controlplane',
      'kube-scheduler-controlplane',
    ]) {
      const pod = pods.find((p) => p.metadata.name === name);
      expect(pod?.status.phase, name).toBe('Running');
      expect(pod?.metadata.annotations).toHaveProperty('kubernetes.io/config.mirror');
      expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'controlplane' });
    }
    expect(pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')).toHaveLength(3);
  });

  it('adds --encryption-provider-config to kube-apiserver only when encryption is configured', () => {
    const command = (s: ReturnType<typeof createMemoryStore>) =>
      s.get('pods', 'kube-system', 'kube-apiserver-controlplane')!.spec.containers[0].command;
    expect(command(store)).not.toContain('--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml');
    const encrypted = createMemoryStore();
    bootstrapCluster(encrypted, { encryption: true });
    expect(command(encrypted)).toContain('--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml');
  });

  it('is idempotent', () => {
    const before = store.resourceVersion();
    bootstrapCluster(store, { workers: 2 });
    expect(store.resourceVersion()).toBe(before);
  });
});
