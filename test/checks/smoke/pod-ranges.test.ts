/**
 * pods.network judged against the ranges the cluster allocates from (REAL-SHAPES.md §4):
 * kubeadm + Calico (IPAM blocks from the IPPool, not node podCIDRs), Cilium cluster-pool, EKS
 * (VPC addresses: range unknown, not a failure), and a pod outside every range still fails.
 */
import { describe, expect, it } from 'vitest';
import { podsNetwork } from '../../../src/checks/smoke/pods-network.js';
import type { KubeObject } from '../../../src/kube/cluster-access.js';
import { fakeContext, NS, node, webPod } from './fake-context.js';

const ds = (name: string): KubeObject => ({
  metadata: { name, namespace: 'kube-system' },
  status: { desiredNumberScheduled: 2 },
});
const KUBEADM_NODES = [node('w1', ['10.244.1.0/24'], ['10.0.0.11']), node('w2', ['10.244.2.0/24'], ['10.0.0.12'])];

describe('pods.network uses the ranges the CNI allocates from', () => {
  it('kubeadm + Calico: pod IPs from the 192.168.0.0/16 IPPool pass although outside node podCIDRs', async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [ds('kube-proxy'), ds('calico-node')],
        ippools: [{ metadata: { name: 'default-ipv4-ippool' }, spec: { cidr: '192.168.0.0/16', blockSize: 26 } }],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['192.168.34.65']), webPod('web-b', 'w2', ['192.168.77.130'])],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(out.evidence.ranges).toMatchObject({
      source: 'cni-pools',
      from: expect.stringMatching(/default-ipv4-ippool/),
    });
  });

  it('kubeadm + Calico: a pod IP outside every pool still fails, naming the pool', async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [ds('calico-node')],
        ippools: [{ metadata: { name: 'default-ipv4-ippool' }, spec: { cidr: '192.168.0.0/16' } }],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['172.17.0.5'])],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/172\.17\.0\.5, outside 192\.168\.0\.0\/16,10\.244\.1\.0\/24 \(Calico IPPools/);
    expect(out.hint).toMatch(/ippools\.crd\.projectcalico\.org/);
  });

  it('Calico pools not readable: falls back to kubeadm podSubnet, then to "range unknown" (a warning, not a failure)', async () => {
    const podSubnet = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [ds('calico-node')],
        'configmaps kube-system': [
          {
            metadata: { name: 'kubeadm-config' },
            data: { ClusterConfiguration: 'networking:\n  podSubnet: 192.168.0.0/16\n' },
          },
        ],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['192.168.34.65'])],
      },
      forbidden: ['ippools'],
    });
    const viaSubnet = await podsNetwork.run(podSubnet.ctx);
    expect(viaSubnet.status, viaSubnet.summary).toBe('passed');
    expect(viaSubnet.evidence.ranges).toMatchObject({ source: 'cluster-cidr' });
    const nothing = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [ds('calico-node')],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['192.168.34.65'])],
      },
      forbidden: ['ippools'],
    });
    const unknown = await podsNetwork.run(nothing.ctx);
    expect(unknown.status).toBe('passed');
    expect(unknown.warnings?.join(' ')).toMatch(/range unknown/);
  });

  it('Cilium cluster-pool: judged against cilium-config, not node podCIDRs', async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [ds('cilium')],
        'configmaps kube-system': [
          {
            metadata: { name: 'cilium-config' },
            data: { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': '10.0.0.0/8' },
          },
        ],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['10.0.1.17']), webPod('web-b', 'w2', ['10.0.2.99'])],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(out.evidence.ranges).toMatchObject({
      source: 'cni-pools',
      from: expect.stringMatching(/cilium-config ipam: cluster-pool/),
    });
  });

  it('EKS (VPC CNI, no podCIDR): range unknown, passed with a warning', async () => {
    const { ctx } = fakeContext({
      objects: {
        nodes: [node('ip-10-0-1-230.ec2.internal', [], ['10.0.1.230'])],
        'daemonsets kube-system': [ds('aws-node'), ds('kube-proxy')],
        [`pods ${NS}`]: [webPod('web-a', 'ip-10-0-1-230.ec2.internal', ['10.0.1.57'])],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status).toBe('passed');
    expect(out.warnings?.join(' ')).toMatch(/range unknown \(the Amazon VPC CNI/);
  });

  it('host-local IPAM (node podCIDRs, no CNI DaemonSet): a pod outside its node range fails as before', async () => {
    const { ctx } = fakeContext({
      objects: { nodes: KUBEADM_NODES, [`pods ${NS}`]: [webPod('web-a', 'w1', ['10.244.2.5'])] },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/outside w1's 10\.244\.1\.0\/24/);
  });
});

describe('Calico pools from the manifest when IPPools are not readable', () => {
  it("takes calico-node's CALICO_IPV4POOL_CIDR", async () => {
    const calicoNode: KubeObject = {
      metadata: { name: 'calico-node', namespace: 'kube-system' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'calico-node', env: [{ name: 'CALICO_IPV4POOL_CIDR', value: '192.168.0.0/16' }] }],
          },
        },
      },
      status: { desiredNumberScheduled: 2 },
    };
    const { ctx } = fakeContext({
      objects: {
        nodes: KUBEADM_NODES,
        'daemonsets kube-system': [calicoNode],
        [`pods ${NS}`]: [webPod('web-a', 'w1', ['192.168.34.65'])],
      },
    });
    const out = await podsNetwork.run(ctx);
    expect(out.status, out.summary).toBe('passed');
    expect(out.evidence.ranges).toMatchObject({
      source: 'cni-pools',
      from: expect.stringMatching(/CALICO_IPV4POOL_CIDR/),
    });
  });
});
