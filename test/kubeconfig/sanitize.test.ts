import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KubeconfigError, sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { certKubeconfigYaml, kubeconfigYaml, TEST_TOKEN } from '../service/kubeconfigs.js';

function refusal(text: string, context?: string): KubeconfigError {
  try {
    sanitizeKubeconfig(text, context);
  } catch (err) {
    if (err instanceof KubeconfigError) return err;
    throw err;
  }
  throw new Error('expected the kubeconfig to be refused');
}

describe('kubeconfig intake', () => {
  it('keeps the allow-listed fields of the current context', () => {
    const { kubeconfig, warnings } = sanitizeKubeconfig(kubeconfigYaml({ context: { namespace: 'team-a' } }));
    expect(kubeconfig).toMatchObject({
      server: 'https://127.0.0.1:6443',
      token: TEST_TOKEN,
      clusterName: 'test-cluster',
      contextName: 'test',
      userName: 'test-user',
      namespace: 'team-a',
      insecureSkipTlsVerify: false,
    });
    expect(kubeconfig.caData).toBeTypeOf('string');
    expect(warnings).toEqual([]);
  });

  it('accepts JSON as well as YAML, and a client certificate instead of a token', () => {
    const json = JSON.stringify(parseYaml(certKubeconfigYaml()));
    const { kubeconfig } = sanitizeKubeconfig(json);
    expect(kubeconfig.clientKeyData).toBeTypeOf('string');
    expect(kubeconfig.token).toBeUndefined();
  });

  it('picks the requested context over current-context', () => {
    const text = kubeconfigYaml({
      extra: {
        contexts: [
          { name: 'test', context: { cluster: 'test-cluster', user: 'test-user' } },
          { name: 'other', context: { cluster: 'test-cluster', user: 'test-user', namespace: 'x' } },
        ],
      },
    });
    expect(sanitizeKubeconfig(text, 'other').kubeconfig.contextName).toBe('other');
  });

  it.each([
    ['exec', { exec: { command: 'aws', args: ['eks', 'get-token'] } }, 'users[0].user.exec', 'kubectl create token'],
    ['auth-provider', { 'auth-provider': { name: 'gcp' } }, 'users[0].user.auth-provider', 'kubectl create token'],
    [
      'token-file',
      { 'token-file': '/etc/hostname' },
      'users[0].user.token-file',
      'kubectl config view --raw --minify --flatten',
    ],
    [
      'tokenFile',
      { tokenFile: '/etc/hostname' },
      'users[0].user.tokenFile',
      'kubectl config view --raw --minify --flatten',
    ],
    ['client-certificate', { 'client-certificate': '/etc/hostname' }, 'users[0].user.client-certificate', '--flatten'],
    ['client-key', { 'client-key': '/etc/hostname' }, 'users[0].user.client-key', '--flatten'],
    ['as', { as: 'system:admin' }, 'users[0].user.as', 'Impersonation'],
    ['as-groups', { 'as-groups': ['system:masters'] }, 'users[0].user.as-groups', 'Impersonation'],
    ['as-uid', { 'as-uid': '0' }, 'users[0].user.as-uid', 'Impersonation'],
    ['as-user-extra', { 'as-user-extra': { a: ['b'] } }, 'users[0].user.as-user-extra', 'Impersonation'],
  ])('refuses a user with %s, naming the field and a way forward', (_name, user, field, remedy) => {
    const err = refusal(kubeconfigYaml({ user }));
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
    expect(err.message).toContain(remedy);
  });

  it.each([
    [
      'certificate-authority',
      { 'certificate-authority': '/etc/hostname' },
      'clusters[0].cluster.certificate-authority',
      '--flatten',
    ],
    ['proxy-url', { 'proxy-url': 'http://127.0.0.1:3128' }, 'clusters[0].cluster.proxy-url', 'Proxies'],
    ['an unknown field', { 'made-up': 1 }, 'clusters[0].cluster.made-up', 'not supported'],
  ])('refuses a cluster with %s', (_name, cluster, field, words) => {
    const err = refusal(kubeconfigYaml({ cluster }));
    expect(err.field).toBe(field);
    expect(err.message).toContain(words);
  });

  it('refuses a plain-http server', () => {
    const err = refusal(kubeconfigYaml({ server: 'http://127.0.0.1:8080' }));
    expect(err.field).toBe('clusters[0].cluster.server');
    expect(err.message).toContain('https');
  });

  it('refuses an unknown context, a missing user and a missing cluster', () => {
    expect(refusal(kubeconfigYaml(), 'nope').field).toBe('context');
    expect(refusal(kubeconfigYaml({ context: { user: 'ghost' } })).message).toContain('no user named "ghost"');
    expect(refusal(kubeconfigYaml({ context: { cluster: 'ghost' } })).message).toContain('no cluster named "ghost"');
    expect(refusal(kubeconfigYaml({ currentContext: null })).field).toBe('current-context');
  });

  it('refuses malformed YAML without quoting the text (which may hold a token)', () => {
    const err = refusal(`users:\n  - name: u\n    user: {token: ${TEST_TOKEN}\n  bad: [`);
    expect(err.field).toBe('kubeconfig');
    expect(err.message).toMatch(/not valid YAML or JSON at line \d+/);
    expect(err.message).not.toContain(TEST_TOKEN);
  });

  it('refuses a user without credentials and certificate data that is not PEM', () => {
    expect(refusal(kubeconfigYaml({ user: { token: undefined } })).message).toContain('no credentials');
    expect(refusal(kubeconfigYaml({ cluster: { 'certificate-authority-data': 'bm90IHBlbQ==' } })).field).toBe(
      'clusters[0].cluster.certificate-authority-data',
    );
  });

  it('accepts insecure-skip-tls-verify with a warning', () => {
    const { kubeconfig, warnings } = sanitizeKubeconfig(
      kubeconfigYaml({ cluster: { 'insecure-skip-tls-verify': true } }),
    );
    expect(kubeconfig.insecureSkipTlsVerify).toBe(true);
    expect(warnings[0]).toContain('insecure-skip-tls-verify');
  });

  it('ignores harmless metadata minikube and kubectl write (extensions)', () => {
    const text = kubeconfigYaml({
      cluster: { extensions: [{ name: 'cluster_info', extension: { provider: 'minikube.sigs.k8s.io' } }] },
    });
    expect(sanitizeKubeconfig(text).kubeconfig.server).toBe('https://127.0.0.1:6443');
  });
});
