import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SuiteExecutor } from '../../src/engine/types.js';
import { toLoadOptions } from '../../src/kube/kubeconfig/index.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

/** Does what the real suite does first: builds a client from the credentials and prepares a request. */
class ClientBuildingExecutor implements SuiteExecutor {
  calls = 0;
  async execute(input: Parameters<SuiteExecutor['execute']>[0]) {
    this.calls++;
    const kc = new KubeConfig();
    kc.loadFromOptions(toLoadOptions(input.credentials));
    await kc.applyToFetchOptions({});
    return { cleanup: { deleted: true } };
  }
}

let dir: string;
let harness: Harness;
let executor: ClientBuildingExecutor;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeproof-intake-'));
  executor = new ClientBuildingExecutor();
  harness = createHarness({ executor });
});
afterEach(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

function execUser(marker: string) {
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'sh',
      args: ['-c', `touch ${marker}; echo '{}'`],
    },
  };
}

async function submitAndSettle(kubeconfig: string) {
  const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig } });
  await harness.runner.whenIdle();
  return res;
}

describe('untrusted kubeconfig intake, through the whole audit path', () => {
  it('shows the exec kubeconfig is live: @kubernetes/client-node loadFromString would run it', async () => {
    const marker = join(dir, 'control-marker');
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml({ user: { token: undefined, ...execUser(marker) } }));
    await kc.applyToFetchOptions({}).catch(() => undefined);
    expect(existsSync(marker)).toBe(true);
  });

  it('refuses an exec plugin with 400, and the marker file never appears', async () => {
    const marker = join(dir, 'marker');
    const res = await submitAndSettle(kubeconfigYaml({ user: { token: undefined, ...execUser(marker) } }));
    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('invalid_kubeconfig');
    expect(res.body.field).toBe('users[0].user.exec');
    expect(res.body.detail).toContain('kubectl create token');
    expect(existsSync(marker)).toBe(false);
    expect(executor.calls).toBe(0);
    expect((await call(harness, 'GET', '/v1/audits')).body.items).toEqual([]);
  });

  it('refuses token-file pointing at a real file without reading it', async () => {
    const tokenPath = join(dir, 'token');
    writeFileSync(tokenPath, 'file-held-token-0d5e8c');
    const res = await submitAndSettle(kubeconfigYaml({ user: { token: undefined, 'token-file': tokenPath } }));
    expect(res.status, res.text).toBe(400);
    expect(res.body.field).toBe('users[0].user.token-file');
    expect(res.body.detail).toContain('kubectl config view --raw --minify --flatten');
    expect(res.text).not.toContain('file-held-token-0d5e8c');
    expect(executor.calls).toBe(0);
  });

  it('refuses certificate-authority: /etc/hostname without reading it', async () => {
    const res = await submitAndSettle(kubeconfigYaml({ cluster: { 'certificate-authority': '/etc/hostname' } }));
    expect(res.status, res.text).toBe(400);
    expect(res.body.field).toBe('clusters[0].cluster.certificate-authority');
    expect(res.body.detail).toContain('--flatten');
    const hostname = existsSync('/etc/hostname') ? readFileSync('/etc/hostname', 'utf8').trim() : '';
    if (hostname.length > 3) expect(res.text).not.toContain(hostname);
    expect(executor.calls).toBe(0);
  });

  it.each([
    ['auth-provider', { user: { 'auth-provider': { name: 'oidc' } } }, 'users[0].user.auth-provider'],
    ['impersonation', { user: { as: 'system:admin' } }, 'users[0].user.as'],
    ['proxy-url', { cluster: { 'proxy-url': 'http://127.0.0.1:3128' } }, 'clusters[0].cluster.proxy-url'],
    ['a non-https server', { server: 'http://127.0.0.1:6443' }, 'clusters[0].cluster.server'],
  ])('refuses %s with 400 naming the field', async (_name, parts, field) => {
    const res = await submitAndSettle(kubeconfigYaml(parts));
    expect(res.status, res.text).toBe(400);
    expect(res.body.field, res.text).toBe(field);
    expect(executor.calls).toBe(0);
  });

  it('refuses an unknown context named in the request', async () => {
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), context: 'prod' } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.field).toBe('context');
    expect(res.body.detail).toContain('"prod"');
  });

  it('hands an accepted kubeconfig to the executor, which builds a client with loadFromOptions', async () => {
    const res = await submitAndSettle(kubeconfigYaml());
    expect(res.status, res.text).toBe(202);
    expect(executor.calls).toBe(1);
  });
});
