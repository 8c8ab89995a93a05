import { z } from '@hono/zod-openapi';
import type { ReportFormatSpec } from './format.js';
import type { AuditReport } from './model.js';

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the control characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI systems read it: one testsuite per check group, one testcase per check;
 * failed → <failure>, error → <error type="<cause>">, skipped → <skipped>; cause, skip reason and
 * warnings as testcase <properties> (as pytest and most CI readers take them); warnings and
 * evidence in <system-out>.
 */
export function renderJunit(report: AuditReport): string {
  const groups = new Map<string, AuditReport['checks']>();
  for (const check of report.checks) groups.set(check.group, [...(groups.get(check.group) ?? []), check]);
  const count = (checks: AuditReport['checks'], status: string) => checks.filter((c) => c.status === status).length;
  const total = (checks: AuditReport['checks']) => checks.reduce((sum, c) => sum + c.durationMs, 0);

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.checks;
  out.push(
    `<testsuites name="kubeproof ${xmlEscape(report.audit.id)}" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}" time="${seconds(total(all))}">`,
  );
  for (const [group, checks] of groups) {
    out.push(
      `  <testsuite name="${xmlEscape(group)}" tests="${checks.length}" failures="${count(checks, 'failed')}" errors="${count(checks, 'error')}" skipped="${count(checks, 'skipped')}" time="${seconds(total(checks))}" timestamp="${xmlEscape(checks[0]?.startedAt ?? report.audit.createdAt)}">`,
    );
    for (const check of checks) {
      out.push(
        `    <testcase classname="${xmlEscape(`${group}.${check.component}`)}" name="${xmlEscape(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs)}">`,
      );
      const properties = [
        ...(check.cause ? [['cause', check.cause]] : []),
        ...(check.reason ? [['reason', check.reason]] : []),
        ...check.warnings.map((w) => ['warning', w]),
      ];
      if (properties.length > 0) {
        out.push('      <properties>');
        for (const [name, value] of properties)
          out.push(`        <property name="${xmlEscape(name ?? '')}" value="${xmlEscape(value ?? '')}"/>`);
        out.push('      </properties>');
      }
      const message = xmlEscape(check.summary);
      const body = xmlEscape(
        [check.hint ? `Fix: ${check.hint}` : '', `References: ${check.references.map((r) => r.label).join(', ')}`]
          .filter(Boolean)
          .join('\n'),
      );
      if (check.status === 'failed') out.push(`      <failure message="${message}" type="failed">${body}</failure>`);
      if (check.status === 'error')
        out.push(`      <error message="${message}" type="${xmlEscape(check.cause ?? 'error')}">${body}</error>`);
      if (check.status === 'skipped')
        out.push(
          `      <skipped message="${xmlEscape(check.blockedBy ? `blocked by ${check.blockedBy.join(', ')}` : check.summary)}"/>`,
        );
      const warnings = check.warnings.map((w) => `Warning: ${w}\n`).join('');
      out.push(
        `      <system-out>${xmlEscape(`${check.summary}\n${warnings}${JSON.stringify(check.evidence, null, 2)}`)}</system-out>`,
      );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

export const junitFormat: ReportFormatSpec = {
  label: 'JUnit XML',
  mediaType: 'application/xml',
  accepts: ['application/xml', 'text/xml', 'application/junit+xml'],
  extension: 'xml',
  schema: z.string().openapi({ description: 'JUnit XML', example: '<?xml version="1.0"?><testsuites/>' }),
  render: renderJunit,
};
