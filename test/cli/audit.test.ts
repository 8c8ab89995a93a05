import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/audit.js';
import { ScriptedExecutor } from '../service/fakes.js';
import { createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

let dir: string;
let harness: Harness;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeproof-cli-'));
});
afterEach(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI against the in-process app; returns exit code and captured output. */
async function kubeproof(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    fetch: async (input, init) => harness.app.request(input, init),
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
  });
  return { code, stdout, stderr };
}

function writeKubeconfig(text = kubeconfigYaml()): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, text);
  return path;
}

describe('kubeproof audit', () => {
  it('follows the audit, prints the text report and exits 0 when it passed', async () => {
    harness = createHarness();
    const result = await kubeproof(['audit', '--kubeconfig', writeKubeconfig(), '--server', 'http://127.0.0.1:1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# kubeproof audit .*: passed/);
    expect(result.stderr).toContain('Check dns.service passed');
  });

  it('exits 1 when a check failed, and writes JUnit to --output', async () => {
    harness = createHarness({ executor: new ScriptedExecutor([{ id: 'dns.service', status: 'failed' }]) });
    const out = join(dir, 'report.xml');
    const result = await kubeproof([
      'audit',
      '--kubeconfig',
      writeKubeconfig(),
      '--checks',
      'dns.service',
      '--format',
      'junit',
      '--output',
      out,
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(readFileSync(out, 'utf8')).toContain('<failure');
    expect(result.stdout).toBe('');
  });

  it('exits 2 when kubeproof could not tell', async () => {
    harness = createHarness({ executor: new ScriptedExecutor([{ id: 'preflight.api', status: 'error' }]) });
    const result = await kubeproof(['audit', '--kubeconfig', writeKubeconfig(), '--format', 'json']);
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout).audit.status).toBe('error');
  });

  it('cancels at --timeout and exits 3', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }], { holdAfter: 0 }),
    });
    const result = await kubeproof(['audit', '--kubeconfig', writeKubeconfig(), '--timeout', '0.05']);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('cancelling');
    expect(result.stderr).toMatch(/cancelled \(timed out\)/);
  });

  it('sends the bearer token from --token or KUBEPROOF_TOKEN', async () => {
    const token = 'kp-api-token-0123456789abcdef';
    harness = createHarness({ apiTokens: [token] });
    const refused = await kubeproof(['audit', '--kubeconfig', writeKubeconfig()]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('401 unauthorized');
    expect((await kubeproof(['audit', '--kubeconfig', writeKubeconfig(), '--token', token])).code).toBe(0);
    expect((await kubeproof(['audit', '--kubeconfig', writeKubeconfig()], { KUBEPROOF_TOKEN: token })).code).toBe(0);
  });

  it.each([
    [['audit'], '--kubeconfig FILE is required'],
    [['audit', '--kubeconfig', '/nonexistent/kubeconfig'], 'no such file: /nonexistent/kubeconfig'],
    [['audit', '--kubeconfig', 'k', '--format', 'pdf'], '--format must be one of text, json, junit'],
    [['audit', '--kubeconfig', 'k', '--timeout', 'soon'], '--timeout must be a positive number'],
    [['audit', '--kubeconfig', 'k', '--server', 'ftp://x'], '--server must be an http(s) URL'],
    [['audit', '--kubeconfig', 'k', '--colour'], "Unknown option '--colour'"],
    [['deploy'], 'unknown command "deploy"'],
  ])('exits 3 with a readable message for %j', async (args, message) => {
    harness = createHarness();
    const result = await kubeproof(args);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(message);
  });

  it('shows the service refusal of a kubeconfig with its way forward, exit 3', async () => {
    harness = createHarness();
    const path = writeKubeconfig(
      kubeconfigYaml({ user: { token: undefined, exec: { command: 'gke-gcloud-auth-plugin' } } }),
    );
    const result = await kubeproof(['audit', '--kubeconfig', path]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('users[0].user.exec');
    expect(result.stderr).toContain('kubectl create token');
  });

  it('exits 2 with the reason when the service cannot be reached', async () => {
    harness = createHarness();
    let stderr = '';
    const code = await runCli(['audit', '--kubeconfig', writeKubeconfig()], {
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') });
      },
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toContain('ECONNREFUSED');
  });
});
