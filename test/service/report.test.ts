import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness;
afterEach(async () => harness?.close());

async function failedAudit() {
  harness = createHarness({
    executor: new ScriptedExecutor([
      { id: 'preflight.api', status: 'passed', summary: 'API v1.32.0 answered; every permission granted' },
      { id: 'workload.rollout', status: 'passed', summary: '3/3 replicas available' },
      {
        id: 'service.loadbalancing',
        status: 'failed',
        summary: '10 calls all answered by web-1 <same pod> & "quoted"',
        evidence: { answers: ['web-1'] },
      },
      { id: 'dns.service', status: 'error', summary: 'exec refused | Forbidden' },
      { id: 'secrets.encryption', status: 'skipped', blockedBy: ['service.loadbalancing'] },
    ]),
  });
  const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
  await harness.runner.whenIdle();
  return created.body.links.report as string;
}

describe('report', () => {
  it('puts root causes first (failures before undecided), with the blocked checks they explain', async () => {
    const path = await failedAudit();
    const report = await call(harness, 'GET', path);
    expect(report.status, report.text).toBe(200);
    expect(report.body.rootCauses.map((c: { id: string }) => c.id)).toEqual(['service.loadbalancing', 'dns.service']);
    expect(report.body.rootCauses[0]).toMatchObject({
      component: 'kube-proxy (load balancing)',
      blocks: ['secrets.encryption'],
      hint: 'fix service.loadbalancing',
    });
    expect(report.body.table[2]).toMatchObject({
      checkId: 'service.loadbalancing',
      component: 'kube-proxy (load balancing)',
      references: expect.stringContaining('article'),
    });
    expect(report.body.table[4].observation).toContain('blocked by service.loadbalancing');
  });

  it('renders Markdown with the observation → component → guide table', async () => {
    const path = await failedAudit();
    const md = await call(harness, 'GET', path, { headers: { accept: 'text/markdown' } });
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toMatch(/^# kubeproof audit .*: failed/);
    expect(md.text.indexOf('## Root causes')).toBeLessThan(md.text.indexOf('## Observations'));
    expect(md.text).toContain('| Check | Status | Observation | Component | Guide |');
    expect(md.text).toContain('exec refused \\| Forbidden');
  });

  it('renders JUnit XML: one testsuite per group, failure/error/skipped elements, escaped text', async () => {
    const path = await failedAudit();
    const xml = await call(harness, 'GET', `${path}?format=junit`);
    expect(xml.headers.get('content-type')).toContain('application/xml');
    expect(xml.text.match(/<testsuite /g)?.length).toBe(3);
    expect(xml.text).toContain('<testsuite name="smoke" tests="3" failures="1" errors="1" skipped="0"');
    expect(xml.text).toContain(
      '<failure message="10 calls all answered by web-1 &lt;same pod&gt; &amp; &quot;quoted&quot;"',
    );
    expect(xml.text).toContain('<error message="exec refused | Forbidden"');
    expect(xml.text).toContain('<skipped message="blocked by service.loadbalancing" type="blocked"/>');
    expect(xml.text).toContain('<system-out>');
    expect(xml.text).not.toMatch(/<[^>]*<same pod>/);
  });

  it('keeps warnings of passed checks and the cause of errors in JSON, JUnit and Markdown, persisted', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor([
        { id: 'preflight.api', status: 'passed' },
        {
          id: 'secrets.encryption',
          status: 'passed',
          summary: 'encrypted with aescbc',
          warnings: ['weak provider aescbc: move to secretbox <or> KMS v2'],
        },
        { id: 'workload.rollout', status: 'error', cause: 'policy', summary: 'denied by PodSecurity' },
        { id: 'pods.exec', status: 'skipped', blockedBy: ['workload.rollout'] },
      ]),
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    const byId = (id: string) => run.body.checks.find((c: { id: string }) => c.id === id);
    expect(byId('secrets.encryption')).toMatchObject({
      status: 'passed',
      warnings: [expect.stringContaining('aescbc')],
    });
    expect(byId('secrets.encryption').hint).toBeUndefined();
    expect(byId('workload.rollout')).toMatchObject({ status: 'error', cause: 'policy', warnings: [] });
    expect(byId('pods.exec')).toMatchObject({ status: 'skipped', reason: 'blocked' });
    expect(byId('preflight.api').cause).toBeUndefined();

    const report = await call(harness, 'GET', created.body.links.report);
    expect(report.body.rootCauses).toEqual([expect.objectContaining({ id: 'workload.rollout', cause: 'policy' })]);
    expect(report.body.table.find((r: { checkId: string }) => r.checkId === 'secrets.encryption').warnings).toEqual([
      'weak provider aescbc: move to secretbox <or> KMS v2',
    ]);

    const xml = (await call(harness, 'GET', `${created.body.links.report}?format=junit`)).text;
    expect(xml).toContain('Warning: weak provider aescbc: move to secretbox &lt;or&gt; KMS v2');
    expect(xml).toContain('Cause: policy');
    expect(xml).toContain('<error message="denied by PodSecurity" type="policy">');
    expect(xml).toContain('Warning: weak provider aescbc');

    const md = (await call(harness, 'GET', `${created.body.links.report}?format=markdown`)).text;
    expect(md).toContain('**workload.rollout** (error: policy)');
    expect(md).toContain('## Check warnings');
    expect(md).toContain('- **secrets.encryption**: weak provider aescbc');
    expect(md).toContain('⚠️ error (policy)');
  });

  it('a run whose encryption is not observable (managed control plane) and whose smoke suite passed is passed', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor([
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'passed' },
        { id: 'secrets.encryption', status: 'skipped', reason: 'not-observable', summary: 'not observable: EKS' },
      ]),
    });
    const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await harness.runner.whenIdle();
    const run = await call(harness, 'GET', created.body.links.self);
    expect(run.body.status).toBe('passed');
    expect(run.body.checks[2]).toMatchObject({ status: 'skipped', reason: 'not-observable' });
    const report = await call(harness, 'GET', created.body.links.report);
    expect(report.body.rootCauses).toEqual([]);
    expect(report.body.table[2]).toMatchObject({ why: 'not-observable', observation: 'not observable: EKS' });
  });

  it('chooses the format from Accept, defaulting to JSON', async () => {
    const path = await failedAudit();
    expect((await call(harness, 'GET', path, { headers: { accept: 'application/xml' } })).text).toContain(
      '<testsuites',
    );
    expect((await call(harness, 'GET', path, { headers: { accept: '*/*' } })).body.rootCauses).toBeDefined();
  });
});
