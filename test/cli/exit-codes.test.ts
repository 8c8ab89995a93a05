/**
 * Every exit code of `kubeproof audit`, each against the simulated cluster, in-process or through
 * a real service, with report files written on every ending.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CliFixture, kubeproof } from './support.js';

const fx = new CliFixture();
afterAll(() => fx.close());

const reports = (prefix: string) => [
  '--junit',
  fx.path(`${prefix}.xml`),
  '--markdown',
  fx.path(`${prefix}.md`),
  '--json',
  fx.path(`${prefix}.json`),
];
/** `kubeproof audit` on the sim's kubeconfig, with all three report files named after the case. */
const audit = (name: string, sim: { kubeconfig: string }, flags: string[], io: Parameters<typeof kubeproof>[1] = {}) =>
  kubeproof(['audit', '--kubeconfig', fx.write(`${name}.kubeconfig`, sim.kubeconfig), ...flags, ...reports(name)], io);
const junit = (prefix: string) => readFileSync(fx.path(`${prefix}.xml`), 'utf8');
const json = (prefix: string) => JSON.parse(readFileSync(fx.path(`${prefix}.json`), 'utf8'));

describe('kubeproof audit exit codes', () => {
  it('0: in-process audit of a healthy cluster, all three report files written', async () => {
    const sim = await fx.sim({ encryption: { provider: 'aescbc', keyName: 'key1' } });
    const kubeconfig = fx.write('healthy.kubeconfig', sim.kubeconfig);
    const r = await kubeproof(['audit', '--kubeconfig', kubeconfig, ...reports('passed')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# kubeproof audit .*: passed/);
    expect(r.stderr).toContain('running in-process');
    expect(json('passed').audit.status).toBe('passed');
    expect(junit('passed')).toContain('<testsuites');
    expect(readFileSync(fx.path('passed.md'), 'utf8')).toContain('service.loadbalancing');
  });

  it('1: the cluster failed a check', async () => {
    const sim = await fx.sim({ faults: ['kube-proxy-no-balance'] });
    const r = await audit('failed', sim, ['--checks', 'service.loadbalancing', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).audit.status).toBe('failed');
    expect(junit('failed')).toMatch(/<failure[^>]*>/);
  });

  it('2: kubeproof could not tell (API server unreachable)', async () => {
    const sim = await fx.sim({ faults: ['apiserver-unreachable'] });
    const r = await audit('error', sim, ['--checks', 'nodes.ready']);
    expect(r.code, r.stderr).toBe(2);
    expect(json('error').audit.status).toBe('error');
    expect(junit('error')).toContain('<error');
  });

  it('2: --timeout cancels, cleanup runs, the report says why', async () => {
    // Pods take a minute to start: the audit cannot finish within one second.
    const sim = await fx.sim({ latencies: { podStartMs: 60_000 } });
    const r = await audit('timeout', sim, ['--checks', 'workload.rollout', '--timeout', '1']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('no verdict within --timeout 1 s; cancelling');
    const xml = junit('timeout');
    expect(xml).toMatch(/<testcase classname="kubeproof\.kubeproof" name="kubeproof\.run: [^"]*"/);
    expect(xml).toContain('type="timeout"');
    expect(json('timeout').audit.status).toBe('cancelled');
    // Cancelling still deleted the run's namespace.
    expect(json('timeout').audit.cleanup?.deleted).toBe(true);
  });

  it('2: the service cannot be reached; the report files still say why', async () => {
    const sim = await fx.sim();
    const service = await fx.service();
    await service.stop();
    const r = await audit('nosvc', sim, ['--server', service.url]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('could not be reached');
    expect(junit('nosvc')).toContain('type="unreachable"');
  });

  it('2: the service answers 5xx', async () => {
    const sim = await fx.sim();
    const service = await fx.service();
    const r = await kubeproof(
      ['audit', '--kubeconfig', fx.write('5xx.kubeconfig', sim.kubeconfig), '--server', service.url],
      { fetch: async () => new Response('{"code":"internal","detail":"boom"}', { status: 503 }) },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('503');
  });

  it('3: an unknown check is refused by the service (400)', async () => {
    const sim = await fx.sim();
    const service = await fx.service();
    const r = await audit('unknown', sim, ['--server', service.url, '--checks', 'no.such-check']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('no.such-check');
    expect(junit('unknown')).toContain('no.such-check');
  });

  it.each([
    [
      ['audit', '--kubeconfig', '/nonexistent/kubeconfig'],
      'cannot read kubeconfig /nonexistent/kubeconfig: no such file',
    ],
    [['audit', '--format', 'pdf'], '--format must be one of text, json, junit, markdown'],
    [['audit', '--timeout', 'soon'], '--timeout must be a positive number'],
    [['audit', '--server', 'ftp://x'], '--server must be an http(s) URL'],
    [['audit', '--colour'], "Unknown option '--colour'"],
    [['deploy'], 'unknown command "deploy"'],
  ])('3: usage, %j', async (args, message) => {
    const r = await kubeproof(args, { home: fx.path('no-home') });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('4: the service refuses the API token (401)', async () => {
    const sim = await fx.sim();
    const service = await fx.service({ KUBEPROOF_API_TOKENS: 'kp-right-token-0123456789' });
    const kubeconfig = fx.write('token.kubeconfig', sim.kubeconfig);
    const refused = await kubeproof([
      'audit',
      '--kubeconfig',
      kubeconfig,
      '--server',
      service.url,
      '--token',
      'kp-wrong-token-0123456789',
      ...reports('refused'),
    ]);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('401');
    expect(junit('refused')).toContain('type="credentials"');
    const accepted = await kubeproof(['audit', '--kubeconfig', kubeconfig, '--checks', 'nodes.ready'], {
      env: { KUBEPROOF_URL: service.url, KUBEPROOF_TOKEN: 'kp-right-token-0123456789' },
    });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain(`queued on ${service.url}`);
  });

  it('--help lists every exit code', async () => {
    const r = await kubeproof(['audit', '--help']);
    expect(r.code).toBe(0);
    for (const code of [
      '0  every check passed',
      '1  the cluster failed',
      '2  kubeproof could not tell',
      '3  usage',
      '4  the service refused',
    ])
      expect(r.stdout).toContain(code);
  });
});
