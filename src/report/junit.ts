import { z } from '@hono/zod-openapi';
import type { ReportFormatSpec } from './format.js';
import type { AuditReport } from './model.js';

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the control characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI systems read it, valid against the Jenkins xunit plugin's junit-10.xsd
 * (test/fixtures/junit-xsd/): one testsuite per check group in catalog order, one testcase per
 * check; failed → <failure>, error → <error type="<cause>">, skipped → <skipped type="<reason>">;
 * cause, skip reason, warnings and evidence in <system-out>. That schema allows <properties> only
 * on a testsuite (not on a testcase) and no `skipped` attribute on <testsuites>.
 * Checks run concurrently, so times are wall-clock spans, never sums of check durations.
 */
export function renderJunit(report: AuditReport): string {
  const groups = new Map<string, Check[]>();
  for (const check of report.checks) groups.set(check.group, [...(groups.get(check.group) ?? []), check]);
  const count = (checks: Check[], status: string) => checks.filter((c) => c.status === status).length;

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.checks;
  out.push(
    `<testsuites name="kubeproof ${xmlEscape(report.audit.id)}" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'error')}" time="${seconds(runWallMs(report))}">`,
  );
  for (const [group, checks] of groups) {
    out.push(
      `  <testsuite name="${xmlEscape(group)}" tests="${checks.length}" failures="${count(checks, 'failed')}" errors="${count(checks, 'error')}" skipped="${count(checks, 'skipped')}" time="${seconds(spanMs(checks))}" timestamp="${xmlEscape(earliestStart(checks) ?? report.audit.createdAt)}">`,
    );
    for (const check of checks) out.push(...testcase(group, check));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

type Check = AuditReport['checks'][number];

function testcase(group: string, check: Check): string[] {
  const out = [
    `    <testcase classname="${xmlEscape(`${group}.${check.component}`)}" name="${xmlEscape(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs)}">`,
  ];
  const message = xmlEscape(check.summary);
  const body = xmlEscape(
    [
      check.hint ? `Fix: ${check.hint}` : '',
      `References: ${check.references.map((r) => (r.url ? `${r.label} <${r.url}>` : r.label)).join(', ')}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  if (check.status === 'failed') out.push(`      <failure message="${message}" type="failed">${body}</failure>`);
  if (check.status === 'error')
    out.push(`      <error message="${message}" type="${xmlEscape(check.cause ?? 'unexpected')}">${body}</error>`);
  if (check.status === 'skipped')
    out.push(
      `      <skipped message="${xmlEscape(check.blockedBy ? `blocked by ${check.blockedBy.join(', ')}` : check.summary)}" type="${xmlEscape(check.reason ?? (check.blockedBy ? 'blocked' : 'skipped'))}"/>`,
    );
  const lines = [
    check.summary,
    ...(check.cause ? [`Cause: ${check.cause}`] : []),
    ...(check.reason ? [`Reason: ${check.reason}`] : []),
    ...check.warnings.map((w) => `Warning: ${w}`),
    JSON.stringify(check.evidence, null, 2),
  ];
  out.push(`      <system-out>${xmlEscape(lines.join('\n'))}</system-out>`, '    </testcase>');
  return out;
}

const ms = (iso: string) => Date.parse(iso);
const earliestStart = (checks: Check[]) =>
  checks.reduce<string | undefined>(
    (min, c) => (min === undefined || ms(c.startedAt) < ms(min) ? c.startedAt : min),
    undefined,
  );

/** First start to last end of concurrent checks (0 when there are none). */
function spanMs(checks: Check[]): number {
  if (checks.length === 0) return 0;
  const start = Math.min(...checks.map((c) => ms(c.startedAt)));
  const end = Math.max(...checks.map((c) => ms(c.finishedAt)));
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? end - start : 0;
}

/** The run's wall time: start to end of the run once it ended, else the span of its results. */
function runWallMs(report: AuditReport): number {
  return report.audit.durationMs ?? spanMs(report.checks);
}

export const junitFormat: ReportFormatSpec = {
  label: 'JUnit XML',
  mediaType: 'application/xml',
  accepts: ['application/xml', 'text/xml', 'application/junit+xml'],
  extension: 'xml',
  schema: z.string().openapi({ description: 'JUnit XML', example: '<?xml version="1.0"?><testsuites/>' }),
  render: renderJunit,
};
