/**
 * The CLI finds and trusts the user's kubeconfig as kubectl does (KUBECONFIG merging, ~/.kube/config,
 * --context, files, exec plugins), and sends a service only a self-contained token kubeconfig.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Fetch } from '../../src/cli/client.js';
import type { SimCluster } from '../sim/index.js';
import { CliFixture, kubeproof } from './support.js';

const fx = new CliFixture();
let sim: SimCluster;
let service: { url: string };
beforeAll(async () => {
  sim = await fx.sim();
  service = await fx.service();
});
afterAll(() => fx.close());

type Doc = {
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  'current-context'?: string;
};
const simDoc = () => parse(sim.kubeconfig) as Doc;

/** The sim's kubeconfig with its CA in a file next to it and its user replaced. */
function kubeconfigWith(name: string, user: Record<string, unknown>, extra: Partial<Doc> = {}): string {
  const doc = simDoc();
  const cluster = doc.clusters[0]!.cluster;
  const caFile = fx.write(
    `${name}-ca.crt`,
    Buffer.from(String(cluster['certificate-authority-data']), 'base64').toString(),
  );
  delete cluster['certificate-authority-data'];
  cluster['certificate-authority'] = caFile.split('/').pop(); // relative: resolved against the kubeconfig's folder
  doc.users = [{ name: doc.users[0]!.name, user }];
  return fx.write(`${name}.kubeconfig`, stringify({ ...doc, ...extra }));
}

/** A fetch that records every kubeconfig the CLI sends to the service. */
function recordingFetch(sent: string[]): Fetch {
  return async (input, init) => {
    if (init?.method === 'POST' && String(input).endsWith('/v1/audits'))
      sent.push((JSON.parse(String(init.body)) as { kubeconfig: string }).kubeconfig);
    return fetch(input, init);
  };
}

/** An exec credential plugin: records that it ran and what it was told, prints the sim's token. */
function fakePlugin(name: string): { path: string; log: string } {
  const log = fx.path(`${name}.log`);
  const path = fx.write(
    `${name}.sh`,
    `#!/bin/sh\necho "ran with $KUBERNETES_EXEC_INFO" >> ${log}\necho "PLUGIN_ENV=$PLUGIN_ENV" >> ${log}\n` +
      `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${sim.token}"}}'\n`,
    0o700,
  );
  chmodSync(path, 0o700);
  return { path, log };
}

describe('kubeconfig resolution like kubectl', () => {
  it('runs an exec plugin locally and sends the service a token-only kubeconfig', async () => {
    const plugin = fakePlugin('plugin-server');
    const kubeconfig = kubeconfigWith('exec', {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: `./${plugin.path.split('/').pop()}`, // relative to the kubeconfig's folder, as client-go resolves it
        env: [{ name: 'PLUGIN_ENV', value: 'from-kubeconfig' }],
        interactiveMode: 'Never',
        provideClusterInfo: true,
      },
    });
    const sent: string[] = [];
    const r = await kubeproof(
      ['audit', '--kubeconfig', kubeconfig, '--server', service.url, '--checks', 'nodes.ready'],
      {
        fetch: recordingFetch(sent),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('credentials from exec plugin');
    const log = readFileSync(plugin.log, 'utf8');
    expect(log).toContain('"kind":"ExecCredential"');
    expect(log).toContain('"interactive":false');
    expect(log).toContain(`"server":"${sim.url}"`);
    expect(log).toContain('PLUGIN_ENV=from-kubeconfig');
    // What reached the service: inline CA and a token; no exec, no file path.
    const doc = parse(sent[0]!) as Doc;
    expect(doc.users[0]!.user).toEqual({ token: sim.token });
    expect(Object.keys(doc.clusters[0]!.cluster).sort()).toEqual(['certificate-authority-data', 'server']);
  });

  it('in-process mode trusts the exec plugin too', async () => {
    const plugin = fakePlugin('plugin-local');
    const kubeconfig = kubeconfigWith('exec-local', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.path, interactiveMode: 'Never' },
    });
    const r = await kubeproof(['audit', '--kubeconfig', kubeconfig, '--checks', 'nodes.ready']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(plugin.log)).toBe(true);
  });

  it('a failing plugin is a usage error naming it, exit 3', async () => {
    const path = fx.write('broken.sh', '#!/bin/sh\necho "token expired, run aws sso login" >&2\nexit 1\n', 0o700);
    const kubeconfig = kubeconfigWith('broken', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: path },
    });
    const r = await kubeproof(['audit', '--kubeconfig', kubeconfig, '--server', service.url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited 1: token expired, run aws sso login');
  });

  it('reads tokenFile and the certificate-authority file', async () => {
    const tokenFile = fx.write('token', `${sim.token}\n`);
    const kubeconfig = kubeconfigWith('tokenfile', { tokenFile });
    const sent: string[] = [];
    const r = await kubeproof(
      ['audit', '--kubeconfig', kubeconfig, '--server', service.url, '--checks', 'nodes.ready'],
      {
        fetch: recordingFetch(sent),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect((parse(sent[0]!) as Doc).users[0]!.user).toEqual({ token: sim.token });
  });

  it('KUBECONFIG merges a list: the first file to name a cluster wins, current-context from the first that sets it', async () => {
    const good = simDoc();
    // The second file names the same cluster with a dead server, and another current-context.
    const shadow = simDoc();
    shadow.clusters[0]!.cluster.server = 'https://127.0.0.1:1';
    shadow['current-context'] = 'elsewhere';
    shadow.contexts.push({ name: 'elsewhere', context: { cluster: 'sim', user: shadow.users[0]!.name } });
    const { 'current-context': _, ...goodWithoutCurrent } = good;
    const first = fx.write('first.kubeconfig', stringify({ ...goodWithoutCurrent, 'current-context': 'sim' }));
    const second = fx.write('second.kubeconfig', stringify(shadow));
    const r = await kubeproof(['audit', '--checks', 'nodes.ready'], {
      env: { KUBECONFIG: `${fx.path('missing.kubeconfig')}:${first}:${second}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`of ${sim.url} (context sim`);
    // --context picks the second file's context, whose cluster is still the first file's.
    const other = await kubeproof(['audit', '--checks', 'nodes.ready', '--context', 'elsewhere'], {
      env: { KUBECONFIG: `${first}:${second}` },
    });
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toContain('context elsewhere');
  });

  it('falls back to ~/.kube/config, and names the context when it is unknown', async () => {
    const home = fx.path('home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    fx.write('home/.kube/config', sim.kubeconfig);
    const r = await kubeproof(['audit', '--checks', 'nodes.ready'], { home });
    expect(r.code, r.stderr).toBe(0);
    const unknown = await kubeproof(['audit', '--context', 'prod'], { home });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('context "prod" not found');
    expect(unknown.stderr).toContain('(contexts: sim)');
  });

  it('an unreadable kubeconfig is exit 3 with the file named', async () => {
    const path = fx.write('bad.kubeconfig', 'clusters: [\n  - {');
    const r = await kubeproof(['audit', '--kubeconfig', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${path} is not valid YAML`);
  });
});

describe('in a pod', () => {
  it('uses the ServiceAccount mount when no kubeconfig exists, as kubectl in a pod does', async () => {
    const doc = parse(sim.kubeconfig) as Doc;
    const mount = fx.path('serviceaccount');
    mkdirSync(mount);
    fx.write('serviceaccount/token', sim.token);
    fx.write(
      'serviceaccount/ca.crt',
      Buffer.from(String(doc.clusters[0]!.cluster['certificate-authority-data']), 'base64').toString(),
    );
    fx.write('serviceaccount/namespace', 'kubeproof');
    const url = new URL(sim.url);
    const sent: string[] = [];
    const r = await kubeproof(['audit', '--server', service.url, '--checks', 'nodes.ready'], {
      home: fx.path('pod-home'),
      serviceAccountDir: mount,
      env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
      fetch: recordingFetch(sent),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(context in-cluster');
    expect((parse(sent[0]!) as Doc).users[0]!.user).toEqual({ token: sim.token });
  });
});

describe('--namespace (least-privilege mode)', () => {
  it('runs the audit inside that existing namespace, which it leaves in place; a bad name is exit 3', async () => {
    sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-cli' } });
    const kubeconfig = fx.write('namespace.kubeconfig', sim.kubeconfig);
    const before = sim.store.list('namespaces').map((n) => n.metadata.name);
    const r = await kubeproof([
      'audit',
      '--kubeconfig',
      kubeconfig,
      '--checks',
      'workload.rollout',
      '--namespace',
      'team-cli',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('working in the existing namespace team-cli');
    expect(sim.store.list('namespaces').map((n) => n.metadata.name)).toEqual(before);
    expect(sim.store.list('pods', 'team-cli')).toEqual([]);

    const bad = await kubeproof(['audit', '--kubeconfig', kubeconfig, '--namespace', 'Team_CLI']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('options.namespace');
  });
});
