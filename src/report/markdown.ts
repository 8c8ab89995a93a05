import { z } from '@hono/zod-openapi';
import type { ReportFormatSpec } from './format.js';
import type { AuditReport } from './model.js';

const STATUS_MARK: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  skipped: '⏭️ skipped',
};

/** One line of text (list items must not break). */
const oneLine = (text: string) => text.replace(/\r?\n/g, ' ');

/** Makes text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The report as Markdown: verdict, root causes first, then the observation → component →
 * references table, then warnings and cleanup.
 */
export function renderMarkdown(report: AuditReport): string {
  const { audit } = report;
  const lines: string[] = [];
  lines.push(`# kubeproof audit ${audit.id}: ${audit.status}`, '');
  lines.push(
    `- Cluster: ${audit.cluster.clusterName} (${audit.cluster.server}${audit.cluster.serverVersion ? `, ${audit.cluster.serverVersion}` : ''}), context ${audit.cluster.contextName}`,
  );
  lines.push(
    `- Checks: ${audit.summary.passed} passed, ${audit.summary.failed} failed, ${audit.summary.error} error, ${audit.summary.skipped} skipped`,
  );
  if (audit.errorDetail) lines.push(`- Note: ${audit.errorDetail}`);
  lines.push('');
  if (report.rootCauses.length > 0) {
    lines.push('## Root causes', '');
    for (const cause of report.rootCauses) {
      const refs = cause.references.map((r) => r.label).join(', ');
      const verdict = cause.cause ? `${cause.status}: ${cause.cause}` : cause.status;
      lines.push(`- **${cause.id}** (${verdict}) → ${cause.component}${refs ? ` → ${refs}` : ''}: ${cause.summary}`);
      if (cause.hint) lines.push(`  - Fix: ${cause.hint}`);
      if (cause.blocks.length > 0) lines.push(`  - Blocked: ${cause.blocks.join(', ')}`);
    }
    lines.push('');
  }
  lines.push(
    '## Observations',
    '',
    '| Check | Status | Observation | Component confirmed | Guide |',
    '|---|---|---|---|---|',
  );
  for (const row of report.table) {
    lines.push(
      `| ${cell(row.checkId)} | ${STATUS_MARK[row.status] ?? row.status}${row.why ? ` (${row.why})` : ''} | ${cell(row.observation)} | ${cell(row.component)} | ${cell(row.references)} |`,
    );
  }
  lines.push('');
  const checkWarnings = report.table.flatMap((row) => row.warnings.map((w) => `- **${row.checkId}**: ${oneLine(w)}`));
  if (checkWarnings.length > 0) lines.push('## Check warnings', '', ...checkWarnings, '');
  if (audit.warnings.length > 0) {
    lines.push('## Warnings', '', ...audit.warnings.map((w) => `- ${w}`), '');
  }
  if (audit.cleanup) {
    const ns = audit.cleanup.namespace ?? '(none)';
    lines.push(
      '## Cleanup',
      '',
      audit.cleanup.deleted ? `Namespace ${ns} deleted.` : `Namespace ${ns} NOT deleted: ${audit.cleanup.detail ?? ''}`,
      '',
    );
  }
  return lines.join('\n');
}

export const markdownFormat: ReportFormatSpec = {
  label: 'Markdown',
  mediaType: 'text/markdown; charset=utf-8',
  accepts: ['text/markdown', 'text/plain'],
  extension: 'md',
  schema: z.string().openapi({ description: 'Markdown report', example: '# kubeproof audit ...' }),
  render: renderMarkdown,
};
