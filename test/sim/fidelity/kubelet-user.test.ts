/**
 * Issue 9 item 9: the user the API server presents to kubelets, as a kubelet's Forbidden names
 * it under `kubelet-rbac-denied` — kubeadm's `kube-apiserver-kubelet-client` (the default
 * shape's static kube-apiserver pod names apiserver-kubelet-client.crt), k3s's `system:apiserver`.
 */
import { describe, expect, it } from 'vitest';
import { hasKubectl } from '../kubectl.test-helper.js';
import { useSimWithKubectl } from './sim-kubectl.test-helper.js';

const denied = (user: string) =>
  `Error from server (Forbidden): Forbidden (user=${user}, verb=get, resource=nodes, subresource=proxy) ( pods/log `;

async function logsOfCoreDns(env: ReturnType<typeof useSimWithKubectl>) {
  const pod = await env.k.ok([
    'get',
    'pods',
    '-n',
    'kube-system',
    '-l',
    'k8s-app=kube-dns',
    '-o',
    'jsonpath={.items[0].metadata.name}',
  ]);
  env.sim.faults.enable('kubelet-rbac-denied');
  try {
    return await env.k.run(['logs', '-n', 'kube-system', pod]);
  } finally {
    env.sim.faults.disable('kubelet-rbac-denied');
  }
}

describe.runIf(hasKubectl)('the API server’s kubelet client user', () => {
  describe('default (kubeadm-shaped control plane)', () => {
    const env = useSimWithKubectl();
    it('is kube-apiserver-kubelet-client', async () => {
      expect((await logsOfCoreDns(env)).stderr).toContain(denied('kube-apiserver-kubelet-client'));
    });
  });
  describe('k3s', () => {
    const env = useSimWithKubectl({ profile: 'k3s' });
    it('is system:apiserver', async () => {
      expect((await logsOfCoreDns(env)).stderr).toContain(denied('system:apiserver'));
    });
  });
});
