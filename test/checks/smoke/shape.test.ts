/**
 * Cluster shapes as kube-system shows them (REAL-SHAPES.md §1–5), read into what checks judge
 * with and hint from.
 */
import { describe, expect, it } from 'vitest';
import { shapeFrom } from '../../../src/checks/shape/detect.js';
import { cniRoutingHint, controlPlaneHint, dnsHint, serviceProxyHint } from '../../../src/checks/shape/hints.js';
import { modeFromConfig } from '../../../src/checks/shape/kube-proxy-config.js';
import { rangePlan } from '../../../src/checks/shape/pod-ranges.js';
import type { KubeObject } from '../../../src/kube/cluster-access.js';
import { node } from './fake-context.js';

const ds = (name: string, extra: KubeObject = {}): KubeObject => ({
  metadata: { name, namespace: 'kube-system' },
  spec: { template: { spec: { containers: [{ name, image: `example/${name}:1`, ...(extra.container ?? {}) }] } } },
  status: { desiredNumberScheduled: extra.desired ?? 2 },
});
const deploy = (name: string, container: KubeObject): KubeObject => ({
  metadata: { name, namespace: 'kube-system' },
  spec: { template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [container] } } },
});
const cm = (name: string, data: Record<string, string>): KubeObject => ({ metadata: { name }, data });
const COREDNS = deploy('coredns', { name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.1' });

describe('kube-proxy mode from its configuration', () => {
  it('reads kubeadm\'s config.conf: mode "" is iptables, an explicit mode is itself', () => {
    expect(
      modeFromConfig('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ""\n'),
    ).toBe('iptables');
    expect(modeFromConfig('kind: KubeProxyConfiguration\nmode: ipvs\n')).toBe('ipvs');
    expect(modeFromConfig('kind: KubeProxyConfiguration\nmode: nftables\n')).toBe('nftables');
    expect(modeFromConfig('not: [yaml')).toBeUndefined();
    expect(modeFromConfig('kind: KubeProxyConfiguration\n')).toBeUndefined();
  });
});

describe('cluster shapes', () => {
  it('kubeadm + Calico: kube-proxy DaemonSet in ipvs mode, CoreDNS, Calico IPPools as the pod ranges', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.31.0',
      nodes: [node('cp', ['10.244.0.0/24'], ['10.0.0.10']), node('w1', ['10.244.1.0/24'], ['10.0.0.11'])],
      daemonSets: [ds('kube-proxy'), ds('calico-node')],
      deployments: [COREDNS, deploy('calico-kube-controllers', { name: 'calico-kube-controllers' })],
      pods: [{ metadata: { name: 'kube-apiserver-cp', labels: { component: 'kube-apiserver' } } }],
      configMaps: {
        'kube-proxy': cm('kube-proxy', { 'config.conf': 'kind: KubeProxyConfiguration\nmode: ipvs\n' }),
        'kubeadm-config': cm('kubeadm-config', { ClusterConfiguration: 'networking:\n  podSubnet: 10.244.0.0/16\n' }),
      },
      ipPools: [{ metadata: { name: 'default-ipv4-ippool' }, spec: { cidr: '192.168.0.0/16', blockSize: 26 } }],
    });
    expect(shape).toMatchObject({
      distribution: 'kubeadm',
      controlPlane: 'self-hosted',
      cni: { name: 'calico' },
      serviceProxy: { kind: 'kube-proxy', runsAs: 'daemonset', mode: 'ipvs' },
      dns: { server: 'coredns', nodeLocal: false },
      podPools: { calico: { cidrs: ['192.168.0.0/16'] }, cluster: { cidrs: ['10.244.0.0/16'] } },
    });
    const plan = rangePlan(shape, [node('w1', ['10.244.1.0/24'], [])]);
    expect(plan.source).toBe('cni-pools');
    expect(plan.rangesFor('w1')).toEqual(['192.168.0.0/16', '10.244.1.0/24']);
    expect(serviceProxyHint(shape, 'no-answer')).toMatch(/logs ds\/kube-proxy[\s\S]*ipvsadm -Ln/);
    expect(cniRoutingHint(shape, 'w1')).toMatch(/calicoctl node status/);
  });

  it('EKS: managed, aws-node, kube-proxy mode from kube-proxy-config, no pod range', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.29.3-eks-adc7111',
      nodes: [
        node('ip-10-0-1-230.ec2.internal', [], ['10.0.1.230'], { spec: { providerID: 'aws:///us-east-1a/i-0abc' } }),
      ],
      daemonSets: [ds('aws-node'), ds('kube-proxy')],
      deployments: [COREDNS],
      pods: [],
      configMaps: {
        'kube-proxy-config': cm('kube-proxy-config', { config: 'kind: KubeProxyConfiguration\nmode: "iptables"\n' }),
      },
    });
    expect(shape).toMatchObject({
      distribution: 'eks',
      controlPlane: 'managed',
      cni: { name: 'aws-vpc-cni' },
      serviceProxy: { kind: 'kube-proxy', runsAs: 'daemonset', mode: 'iptables' },
    });
    expect(rangePlan(shape, shape ? [] : []).source).toBe('unknown');
    expect(cniRoutingHint(shape, 'x')).toMatch(/aws-node/);
  });

  it('GKE: kube-dns (not CoreDNS), static kube-proxy pods, NodeLocal DNSCache', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.29.5-gke.1091000',
      nodes: [node('gke-c-default-pool-1a2b3c4d-x1y2', ['10.52.1.0/24'], ['10.128.0.5'])],
      daemonSets: [ds('kube-proxy', { desired: 0 }), ds('node-local-dns'), ds('fluentbit-gke')],
      deployments: [deploy('kube-dns', { name: 'kubedns', image: 'gke.gcr.io/k8s-dns-kube-dns:1.22.28' })],
      pods: [
        { metadata: { name: 'kube-proxy-gke-c-default-pool-1a2b3c4d-x1y2', labels: { component: 'kube-proxy' } } },
      ],
      configMaps: {},
    });
    expect(shape).toMatchObject({
      distribution: 'gke',
      controlPlane: 'managed',
      serviceProxy: { kind: 'kube-proxy', runsAs: 'static-pods' },
      dns: { server: 'kube-dns', nodeLocal: true },
    });
    expect(dnsHint(shape)).toMatch(/kube-dns \(not CoreDNS\)[\s\S]*-c dnsmasq[\s\S]*169\.254\.20\.10/);
    expect(rangePlan(shape, [node('n', ['10.52.1.0/24'], [])]).source).toBe('node-podcidrs');
  });

  it('k3s: kube-proxy and flannel embedded in the k3s process', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.29.6+k3s1',
      nodes: [node('k3s-server', ['10.42.0.0/24'], ['192.168.1.10'], { spec: { providerID: 'k3s://k3s-server' } })],
      daemonSets: [ds('svclb-traefik-1a2b3c4d')],
      deployments: [COREDNS],
      pods: [],
      configMaps: {},
    });
    expect(shape).toMatchObject({
      distribution: 'k3s',
      cni: { name: 'flannel', from: 'embedded in k3s' },
      serviceProxy: { kind: 'k3s-embedded' },
    });
    expect(serviceProxyHint(shape, 'nodeport', { nodePort: 30080 })).toMatch(
      /journalctl -u k3s[\s\S]*KUBE-NODEPORTS -n \| grep 30080/,
    );
  });

  it('Cilium with kube-proxy replacement and cluster-pool IPAM: no KUBE-* chains, pool from cilium-config', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.31.0',
      nodes: [node('w1', ['10.244.1.0/24'], ['10.0.0.11'])],
      daemonSets: [ds('cilium'), ds('cilium-envoy')],
      deployments: [COREDNS],
      pods: [],
      configMaps: {
        'cilium-config': cm('cilium-config', {
          ipam: 'cluster-pool',
          'cluster-pool-ipv4-cidr': '10.0.0.0/8',
          'kube-proxy-replacement': 'true',
        }),
      },
    });
    expect(shape.serviceProxy.kind).toBe('cilium');
    const plan = rangePlan(shape, [node('w1', ['10.244.1.0/24'], [])]);
    expect(plan).toMatchObject({ source: 'cni-pools' });
    expect(plan.rangesFor('w1')).toEqual(['10.0.0.0/8']);
    const hint = serviceProxyHint(shape, 'no-balance');
    expect(hint).toMatch(/cilium-dbg service list/);
    expect(hint).not.toMatch(/iptables -t nat/);
  });

  it('Kubernetes The Hard Way (the simulation): no DaemonSets, kube-proxy a host service', () => {
    const shape = shapeFrom({
      gitVersion: 'v1.32.0',
      nodes: [node('node-0', ['10.200.0.0/24'], ['10.240.0.20'])],
      daemonSets: [],
      deployments: [COREDNS],
      pods: [],
      configMaps: {},
    });
    expect(shape.serviceProxy).toMatchObject({ kind: 'kube-proxy', runsAs: 'systemd' });
    expect(serviceProxyHint(shape, 'no-answer')).toMatch(/systemctl status kube-proxy/);
    expect(cniRoutingHint(shape, 'node-0')).toMatch(/ip route/);
  });

  it('says "not visible" rather than guessing when kube-system cannot be read', () => {
    const shape = shapeFrom({ configMaps: {} }, ['daemonsets in kube-system: forbidden']);
    expect(shape).toMatchObject({ distribution: 'unknown', cni: undefined, serviceProxy: { kind: 'unknown' } });
    expect(shape.unseen).toHaveLength(1);
    expect(rangePlan(shape, []).source).toBe('unknown');
  });
});

describe('control-plane hints follow who runs the control plane', () => {
  it("managed: the provider's logs; kubeadm: the static pods; k3s: the k3s unit", () => {
    const eks = shapeFrom({ gitVersion: 'v1.29.3-eks-adc7111', configMaps: {} });
    expect(controlPlaneHint(eks, 'kube-controller-manager')).toMatch(/controllerManager[\s\S]*CloudWatch/);
    const kubeadm = shapeFrom({ gitVersion: 'v1.31.0', configMaps: { 'kubeadm-config': cm('kubeadm-config', {}) } });
    expect(controlPlaneHint(kubeadm, 'kube-controller-manager')).toMatch(/-l component=kube-controller-manager/);
    const k3s = shapeFrom({ gitVersion: 'v1.29.6+k3s1', configMaps: {} });
    expect(controlPlaneHint(k3s, 'kube-controller-manager')).toMatch(/journalctl -u k3s/);
  });
});
