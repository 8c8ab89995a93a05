import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness } from './harness.js';
import { kubeconfigYaml, pemData, TEST_KEY_BODY, TEST_TOKEN } from './kubeconfigs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('secrets never reach the database or the logs', () => {
  it('leaves no token and no client key in the SQLite files after a full audit, even when a check echoes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-secrets-'));
    dirs.push(dir);
    const keyData = pemData('RSA PRIVATE KEY', TEST_KEY_BODY);
    const keyPem = Buffer.from(keyData, 'base64').toString('utf8');
    // A careless check that puts credentials into its summary and evidence: redaction must catch it.
    const executor = new ScriptedExecutor([
      {
        id: 'preflight.api',
        status: 'passed',
        summary: `authenticated with Bearer ${TEST_TOKEN}`,
        evidence: { key: keyPem, token: TEST_TOKEN },
      },
      { id: 'dns.service', status: 'failed', summary: `token ${TEST_TOKEN} rejected`, evidence: { keyData } },
    ]);
    const harness = createHarness({ executor, dbPath: join(dir, 'kubeproof.db') });
    const kubeconfig = kubeconfigYaml({
      user: { 'client-certificate-data': pemData('CERTIFICATE', 'client-cert'), 'client-key-data': keyData },
    });
    const etcdKey = pemData('EC PRIVATE KEY', 'etcd-client-key-material-77c1');
    const registryAuth = Buffer.from('mirror-user:registry-pass-5d1e').toString('base64');
    const pullSecret = JSON.stringify({ auths: { 'mirror.example:5000': { auth: registryAuth } } });
    const options = {
      images: { pullSecret },
      encryption: {
        strategy: 'etcd-direct',
        etcd: {
          endpoints: ['https://127.0.0.1:2379'],
          keyData: etcdKey,
          certData: pemData('CERTIFICATE', 'etcd-cert'),
        },
      },
    };
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig, options } });
    expect(created.status, created.text).toBe(202);
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    const report = await call(harness, 'GET', `${created.body.links.report}?format=markdown`);
    const events = await call(harness, 'GET', created.body.links.events);
    await harness.close();

    const needles = [
      TEST_TOKEN,
      TEST_KEY_BODY,
      Buffer.from(TEST_KEY_BODY).toString('base64'),
      keyData,
      etcdKey,
      registryAuth,
    ];
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1'));
    expect(files.length).toBeGreaterThan(0);
    for (const needle of needles) {
      for (const content of files)
        expect(content.includes(needle), `SQLite file contains ${needle.slice(0, 12)}…`).toBe(false);
      for (const text of [run.text, report.text, events.text, harness.logs.join('')])
        expect(text).not.toContain(needle);
    }
    expect(run.body.checks[0].summary).toContain('[redacted]');
    expect(run.body.options.images.pullSecret).toBe('provided');
    expect(run.body.options.encryption.etcd).toEqual({
      endpoints: ['https://127.0.0.1:2379'],
      caData: 'absent',
      certData: 'provided',
      keyData: 'provided',
    });
  });
});
