/**
 * JUnit reports against the Jenkins xunit plugin's junit-10.xsd (test/fixtures/junit-xsd/), with
 * the real `xmllint --schema` (Debian's libxml2-utils, installed by scripts/test-prerequisites.mjs),
 * for a passed, a failed, an errored and a skipped run, and the CLI's no-verdict report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { placeholderRun, withNoVerdict } from '../../src/cli/outputs.js';
import { renderReport } from '../../src/report/index.js';
import type { AuditRun } from '../../src/report/schema.js';
import { type ScriptedCheck, ScriptedExecutor } from '../service/fakes.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const XSD = path.resolve(import.meta.dirname, '../fixtures/junit-xsd/junit-10.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'kubeproof-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict on one document: exit status and its messages. */
function validate(name: string, xml: string): { ok: boolean; output: string } {
  const file = path.join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  const res = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  if (res.error) throw new Error(`xmllint could not run (install Debian's libxml2-utils): ${res.error.message}`);
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
}

let harness: Harness;
afterEach(async () => harness?.close());

/** Runs a scripted audit through the service (results reported in the script's order). */
async function audit(script: ScriptedCheck[]) {
  harness = createHarness({ executor: new ScriptedExecutor(script) });
  const created = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
  await harness.runner.whenIdle();
  const json = await call(harness, 'GET', created.body.links.report);
  const junit = await call(harness, 'GET', `${created.body.links.report}?format=junit`);
  const markdown = await call(harness, 'GET', `${created.body.links.report}?format=markdown`);
  return { report: json.body, status: json.body.audit.status as string, junit: junit.text, markdown: markdown.text };
}

// Completion order differs from the fake catalog's (preflight, rollout, loadbalancing, dns, encryption).
const RUNS: Record<string, ScriptedCheck[]> = {
  passed: [
    { id: 'preflight.api', status: 'passed' },
    { id: 'secrets.encryption', status: 'passed', warnings: ['aescbc is weak <use> KMS v2 & "secretbox"'] },
    { id: 'dns.service', status: 'passed' },
    { id: 'workload.rollout', status: 'passed' },
    { id: 'service.loadbalancing', status: 'passed' },
  ],
  failed: [
    { id: 'preflight.api', status: 'passed' },
    { id: 'workload.rollout', status: 'passed' },
    { id: 'dns.service', status: 'failed', summary: 'web.<ns> did not resolve: NXDOMAIN\u0007' },
    { id: 'service.loadbalancing', status: 'skipped', blockedBy: ['dns.service'] },
    { id: 'secrets.encryption', status: 'passed' },
  ],
  error: [
    { id: 'preflight.api', status: 'passed' },
    { id: 'secrets.encryption', status: 'error', cause: 'permission', summary: 'pods/exec in kube-system refused' },
    { id: 'workload.rollout', status: 'error', cause: 'policy', summary: 'violates PodSecurity "restricted"' },
    { id: 'service.loadbalancing', status: 'skipped', reason: 'not-run', summary: 'not run: deadline' },
    { id: 'dns.service', status: 'skipped', blockedBy: ['workload.rollout'] },
  ],
  skipped: [
    { id: 'preflight.api', status: 'passed' },
    { id: 'workload.rollout', status: 'passed' },
    { id: 'secrets.encryption', status: 'skipped', reason: 'not-observable', summary: 'etcd not observable on EKS' },
    { id: 'service.loadbalancing', status: 'passed' },
    { id: 'dns.service', status: 'passed' },
  ],
};

const CATALOG_ORDER = [
  'preflight.api',
  'workload.rollout',
  'service.loadbalancing',
  'dns.service',
  'secrets.encryption',
];
const order = (text: string, ids: string[]) =>
  ids
    .map((id) => ({ id, at: text.indexOf(id) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.id);

describe('JUnit against junit-10.xsd', () => {
  for (const [kind, script] of Object.entries(RUNS)) {
    it(`a ${kind} run's report is valid, with rows in catalog order`, async () => {
      const { status, junit, markdown, report } = await audit(script);
      expect(status).toBe(kind === 'skipped' ? 'passed' : kind);
      const verdict = validate(kind, junit);
      expect(verdict.output, junit).not.toContain('fails to validate');
      expect(verdict.ok, verdict.output).toBe(true);
      // One testsuite per group, groups and testcases in catalog order, not completion order.
      expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'preflight',
        'smoke',
        'encryption',
      ]);
      const testcases = [...junit.matchAll(/<testcase [^>]*name="([^:"]+):/g)].map((m) => m[1]);
      expect(testcases).toEqual(CATALOG_ORDER);
      const table = markdown.slice(markdown.indexOf('## Observations'));
      expect(order(table, CATALOG_ORDER)).toEqual(CATALOG_ORDER);
      expect(report.table.map((r: { checkId: string }) => r.checkId)).toEqual(CATALOG_ORDER);
      // The root element carries no `skipped` attribute (the schema has none there).
      expect(junit).toMatch(/<testsuites name="[^"]+" tests="5" failures="\d" errors="\d" time="[0-9.]+">/);
    });
  }

  it('says why an error or a skip happened in the element type and the testcase output', async () => {
    const { junit } = await audit(RUNS.error ?? []);
    expect(junit).toContain('<error message="pods/exec in kube-system refused" type="permission">');
    expect(junit).toContain('<skipped message="blocked by workload.rollout" type="blocked"/>');
    expect(junit).toContain('<skipped message="not run: deadline" type="not-run"/>');
    expect(junit).toContain('Cause: policy');
    expect(junit).not.toContain('<properties>');
  });

  it("the CLI's no-verdict report (service unreachable) is valid too", () => {
    const at = new Date('2026-01-01T10:00:00.000Z');
    const run = withNoVerdict(
      placeholderRun({ server: 'https://127.0.0.1:6443', contextName: 'sim', selection: [] }, at),
      { cause: 'unreachable', message: 'the kubeproof service at http://127.0.0.1:1 could not be reached' },
      at,
    );
    const verdict = validate('no-verdict', renderReport(run, 'junit'));
    expect(verdict.ok, verdict.output).toBe(true);
  });

  it('the schema check can fail: a `skipped` attribute on <testsuites> or <properties> in a testcase is refused', () => {
    const good =
      '<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="c"/></testsuite></testsuites>';
    expect(validate('good', good).ok).toBe(true);
    expect(validate('root-skipped', good.replace('<testsuites>', '<testsuites skipped="0">')).ok).toBe(false);
    expect(
      validate('case-properties', good.replace('<testcase name="c"/>', '<testcase name="c"><properties/></testcase>'))
        .ok,
    ).toBe(false);
  });
});

/** A finished run whose checks ran concurrently: 0–2 s and 1–3 s in a run of 3.5 s. */
function concurrentRun(): AuditRun {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, 0) + s * 1000).toISOString();
  const check = (id: string, group: string, from: number, to: number): AuditRun['checks'][number] => ({
    id,
    title: id,
    group,
    component: 'kube-proxy',
    references: [{ label: 'article 12', title: 'kube-proxy', url: 'https://example.test/12' }],
    status: 'passed',
    startedAt: t(from),
    finishedAt: t(to),
    durationMs: (to - from) * 1000,
    summary: `${id} ok`,
    evidence: {},
    warnings: [],
  });
  const run = placeholderRun(
    { id: 'r1', server: 'https://127.0.0.1:6443', contextName: 'sim', selection: [] },
    new Date(t(0)),
  );
  return {
    ...run,
    status: 'passed',
    startedAt: t(0),
    finishedAt: t(3.5),
    durationMs: 3500,
    summary: { total: 2, passed: 2, failed: 0, skipped: 0, error: 0 },
    checks: [check('a.one', 'smoke', 0, 2), check('a.two', 'smoke', 1, 3)],
  };
}

describe('JUnit times', () => {
  it('the top-level time is the run wall time and a testsuite time its span, not sums of concurrent checks', () => {
    const xml = renderReport(concurrentRun(), 'junit');
    expect(xml).toMatch(/<testsuites [^>]*time="3\.500">/);
    expect(xml).toMatch(/<testsuite name="smoke" [^>]*time="3\.000"/);
    expect(validate('times', xml).ok).toBe(true);
  });
});
