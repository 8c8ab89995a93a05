/**
 * Guide references carry URLs in JSON and are links in Markdown; the Component column tells
 * confirmed from not; untrusted text stays inert (security's escaping kept: no raw HTML, no table
 * break, no link to a scheme other than http(s)).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GUIDE } from '../../src/checks/guide.js';
import { placeholderRun } from '../../src/cli/outputs.js';
import type { GuideReference } from '../../src/kernel/guide.js';
import { buildReport, renderReport } from '../../src/report/index.js';
import { mdReference, mdUrl } from '../../src/report/markdown.js';
import type { AuditRun } from '../../src/report/schema.js';

type Check = AuditRun['checks'][number];
const at = '2026-01-01T10:00:00.000Z';
const check = (
  id: string,
  status: Check['status'],
  references: readonly GuideReference[],
  extra: Partial<Check> = {},
): Check => ({
  id,
  title: id,
  group: 'smoke',
  component: 'kube-proxy',
  references: [...references],
  status,
  startedAt: at,
  finishedAt: at,
  durationMs: 0,
  summary: `${id} ${status}`,
  evidence: {},
  warnings: [],
  ...extra,
});

function run(checks: Check[]): AuditRun {
  return {
    ...placeholderRun({ id: 'r1', server: 'https://127.0.0.1:6443', contextName: 'sim', selection: [] }, new Date(at)),
    checks,
  };
}

describe('guide references', () => {
  it('every reference of the default guide has an https URL; KTHW ones point at their smoke-test section', () => {
    for (const [component, refs] of Object.entries(DEFAULT_GUIDE))
      for (const ref of refs) expect(ref.url, `${component}: ${ref.label}`).toMatch(/^https:\/\//);
    expect(DEFAULT_GUIDE['encryption-at-rest'][0]?.url).toBe(
      'https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/12-smoke-test.md#data-encryption',
    );
    expect(DEFAULT_GUIDE['kube-proxy-nodeport'].map((r) => r.url)).toContain(
      'https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/12-smoke-test.md#services',
    );
    expect(DEFAULT_GUIDE['kube-proxy'][0]?.url).toBe('https://kkloudtarus.net/en/blog/series/kubernetes-from-scratch');
  });

  it('the JSON table row carries the references with their URLs', () => {
    const report = buildReport(run([check('service.loadbalancing', 'passed', DEFAULT_GUIDE['kube-proxy'])]));
    expect(report.table[0]?.guide).toEqual([
      {
        label: 'article 12',
        title: 'kube-proxy',
        url: 'https://kkloudtarus.net/en/blog/series/kubernetes-from-scratch',
      },
    ]);
    expect(report.table[0]?.references).toBe('article 12 (kube-proxy)');
  });

  it('Markdown: references are links, the Component column says confirmed or not', () => {
    const md = renderReport(
      run([
        check('a.passed', 'passed', DEFAULT_GUIDE['kube-proxy']),
        check('b.failed', 'failed', DEFAULT_GUIDE['kube-proxy-nodeport'], { hint: 'fix it' }),
        check('c.error', 'error', [], { cause: 'permission' }),
        check('d.skipped', 'skipped', [], { reason: 'blocked', blockedBy: ['b.failed'] }),
      ]),
      'markdown',
    );
    expect(md).toContain('| Check | Status | Observation | Component | Guide |');
    expect(md).not.toContain('Component confirmed');
    const row = (id: string) => md.split('\n').find((l) => l.startsWith(`| ${id} |`)) ?? '';
    expect(row('a.passed')).toContain('| ✅ confirmed: kube-proxy (load balancing) |');
    expect(row('a.passed')).toContain(
      '[article 12 (kube-proxy)](https://kkloudtarus.net/en/blog/series/kubernetes-from-scratch)',
    );
    expect(row('b.failed')).toContain('| ❌ not confirmed: kube-proxy (load balancing) |');
    expect(row('b.failed')).toContain(
      '[KTHW smoke test: Service (NodePort)](https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/12-smoke-test.md#services)',
    );
    expect(row('c.error')).toContain('| ⚠️ not confirmed (could not tell): kube-proxy (load balancing) |');
    expect(row('d.skipped')).toContain('| ⏭️ not checked: kube-proxy (load balancing) |');
    // Root causes link their references too.
    expect(md).toMatch(
      /- \*\*b\.failed\*\* \(failed\) → kube-proxy \(load balancing\) → \[article 12 \(kube-proxy\)\]\(https:/,
    );
  });

  it('keeps untrusted text inert: no javascript: link, no early end of a link, no raw HTML or table break', () => {
    expect(mdUrl('javascript:alert(1)')).toBeUndefined();
    expect(mdUrl('data:text/html,<script>')).toBeUndefined();
    expect(mdUrl('not a url')).toBeUndefined();
    expect(mdUrl('https://wiki.example/a b)(c|d')).toBe('https://wiki.example/a%20b%29%28c%7Cd');
    expect(mdReference({ label: 'x](javascript:alert(1)) <img src=x>|', url: 'javascript:alert(1)' })).toBe(
      'x\\](javascript:alert(1)) &lt;img src=x&gt;\\|',
    );
    expect(mdReference({ label: 'Runbook [§4]\\', url: 'https://wiki.example/kp' })).toBe(
      '[Runbook \\[§4\\]\\\\](https://wiki.example/kp)',
    );
    const md = renderReport(
      run([
        check('a', 'failed', [{ label: '<b>x</b>\n# heading|', url: 'https://ok.example/)' }], {
          summary: 'a <script> | b',
        }),
      ]),
      'markdown',
    );
    expect(md).not.toMatch(/<b>|<script>|\n# heading/);
    expect(md).toContain('[&lt;b&gt;x&lt;/b&gt; # heading\\|](https://ok.example/%29)');
  });
});
