/** The kubeconfig `server` is normalised before it is stored and filtered, and tricks in it are refused. */
import { describe, expect, it } from 'vitest';
import { KubeconfigError, normalizeServerUrl, sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const serverOf = (server: string) => sanitizeKubeconfig(kubeconfigYaml({ server })).kubeconfig.server;
const refusalOf = (server: string) => {
  try {
    sanitizeKubeconfig(kubeconfigYaml({ server }));
    return undefined;
  } catch (err) {
    return err instanceof KubeconfigError ? err.message : String(err);
  }
};

describe('server URL normalisation', () => {
  it.each([
    ['  https://10.0.0.1:6443/  ', 'https://10.0.0.1:6443'],
    ['https://API.Example.COM:443', 'https://api.example.com'],
    ['https://bücher.example:6443', 'https://xn--bcher-kva.example:6443'],
    ['https://167772161:6443', 'https://10.0.0.1:6443'],
    ['https://rancher.example/k8s/clusters/c-1/', 'https://rancher.example/k8s/clusters/c-1'],
  ])('%s is stored as %s', (raw, stored) => {
    expect(serverOf(raw)).toBe(stored);
    expect(normalizeServerUrl(raw)).toBe(stored);
  });

  it.each([
    ['https://10.0.0.1:6443/#/api', /query or fragment/],
    ['https://10.0.0.1:6443?x=/api', /query or fragment/],
    ['https://10.0.0.1:6443\r\n# INJECTED HEADING', /control characters/],
    ['https://10.0.0.1\u001b[31m:6443', /control characters/],
    ['https://user:pw@10.0.0.1:6443', /credentials in the URL/],
    ['file:///etc/passwd', /https/],
  ])('refuses %j', (raw, why) => {
    expect(refusalOf(raw)).toMatch(why);
  });
});
