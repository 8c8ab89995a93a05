import { describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { createMemoryStore } from '../store/index.js';
import { defaultDenyPolicy, egressAllowed, ingressAllowed } from './network-policy.js';

const pod = (name: string, namespace: string, labels: Record<string, string>, ip: string): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { podIP: ip },
});

function cluster() {
  const store = createMemoryStore();
  for (const name of ['team', 'kube-system'])
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const web = pod('web', 'team', { app: 'web' }, '10.200.0.5');
  const client = pod('client', 'team', { app: 'client' }, '10.200.1.5');
  const dns = pod('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }, '10.200.2.2');
  return { store, web, client, dns };
}

describe('NetworkPolicy semantics on the virtual network', () => {
  it('lets everything through until a policy selects the pod; default-deny then blocks both ways', () => {
    const { store, web, client } = cluster();
    expect(egressAllowed(store, client, { ip: '10.200.0.5', pod: web }, 8080, 'TCP')).toBe(true);
    store.create('networkpolicies', defaultDenyPolicy('team'));
    expect(egressAllowed(store, client, { ip: '10.200.0.5', pod: web }, 8080, 'TCP')).toBe(false);
    expect(ingressAllowed(store, web, { ip: '10.200.1.5', pod: client }, 8080, 'TCP')).toBe(false);
  });

  it('allows by pod selector, named port, namespace selector and ipBlock; policies add up', () => {
    const { store, web, client, dns } = cluster();
    store.create('networkpolicies', defaultDenyPolicy('team'));
    const allow = (name: string, spec: Record<string, unknown>) =>
      store.create('networkpolicies', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: 'team' },
        spec,
      });
    allow('web-in', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] }],
    });
    allow('client-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] });
    allow('dns-out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [{ port: 53, protocol: 'UDP' }],
        },
      ],
    });
    expect(ingressAllowed(store, web, { ip: '10.200.1.5', pod: client }, 8080, 'TCP')).toBe(true);
    expect(ingressAllowed(store, web, { ip: '10.200.1.5', pod: client }, 9090, 'TCP')).toBe(false);
    expect(egressAllowed(store, client, { ip: '10.200.0.5', pod: web }, 8080, 'TCP')).toBe(true);
    expect(egressAllowed(store, client, { ip: '10.200.2.2', pod: dns }, 53, 'UDP')).toBe(true);
    expect(egressAllowed(store, client, { ip: '10.200.2.2', pod: dns }, 53, 'TCP')).toBe(false);
    expect(egressAllowed(store, client, { ip: '10.240.0.21' }, 30080, 'TCP')).toBe(false);
    allow('nodes-out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.240.0.0/24', except: ['10.240.0.10/32'] } }] }],
    });
    expect(egressAllowed(store, client, { ip: '10.240.0.21' }, 30080, 'TCP')).toBe(true);
    expect(egressAllowed(store, client, { ip: '10.240.0.10' }, 6443, 'TCP')).toBe(false);
  });
});
