import { z } from '@hono/zod-openapi';
import { stripControlChars } from '../untrusted-text.js';
import type { ReportFormatSpec } from './format.js';
import type { AuditReport } from './model.js';

const STATUS_MARK: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  skipped: '⏭️ skipped',
};

/**
 * Untrusted text (cluster names, server URLs, messages from the API server) made inert in
 * Markdown: one line (control characters, CR and LF become spaces, so no `# heading` or list item
 * can start), no raw HTML (`<`, `>`, `&` as entities), no table-breaking `|`.
 */
export function mdText(text: string): string {
  return stripControlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/**
 * What the Component cell says of its component: a mark and whether the observation confirmed it.
 * `error` is "could not tell", never "not working"; a skipped check confirmed nothing.
 */
const COMPONENT_MARK: Record<string, string> = {
  passed: '✅ confirmed',
  failed: '❌ not confirmed',
  error: '⚠️ not confirmed (could not tell)',
  skipped: '⏭️ not checked',
};

/** A link target made inert: http(s) only (else no link), and no character that ends the target early. */
export function mdUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(
    /[()<>|[\]\s"'`]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** A guide reference as a Markdown link (`[article 12 (kube-proxy)](https://…)`), or plain text without a usable URL. */
export function mdReference(ref: { label: string; title?: string; url?: string }): string {
  const label = ref.title ? `${ref.label} (${ref.title})` : ref.label;
  // Brackets and backslashes first (they would end or break the link text), then mdText.
  const text = mdText(label.replace(/[[\]\\]/g, (ch) => `\\${ch}`));
  const url = mdUrl(ref.url);
  return url ? `[${text}](${url})` : text;
}

const mdReferences = (refs: readonly { label: string; title?: string; url?: string }[], sep: string) =>
  refs.map(mdReference).join(sep);

/** One line of text (list items must not break). */
const oneLine = mdText;

/** Makes text safe inside a Markdown table cell. */
const cell = mdText;

/**
 * The report as Markdown: verdict, root causes first, then the observation → component →
 * references table, then warnings and cleanup.
 */
export function renderMarkdown(report: AuditReport): string {
  const { audit } = report;
  const lines: string[] = [];
  lines.push(`# kubeproof audit ${mdText(audit.id)}: ${audit.status}`, '');
  const version = audit.cluster.serverVersion ? `, ${mdText(audit.cluster.serverVersion)}` : '';
  lines.push(
    `- Cluster: ${mdText(audit.cluster.clusterName)} (${mdText(audit.cluster.server)}${version}), context ${mdText(audit.cluster.contextName)}`,
  );
  lines.push(
    `- Checks: ${audit.summary.passed} passed, ${audit.summary.failed} failed, ${audit.summary.error} error, ${audit.summary.skipped} skipped`,
  );
  if (audit.errorDetail) lines.push(`- Note: ${oneLine(audit.errorDetail)}`);
  lines.push('');
  if (report.rootCauses.length > 0) {
    lines.push('## Root causes', '');
    for (const cause of report.rootCauses) {
      const refs = mdReferences(cause.references, ', ');
      const verdict = cause.cause ? `${cause.status}: ${cause.cause}` : cause.status;
      lines.push(
        `- **${cause.id}** (${verdict}) → ${oneLine(cause.component)}${refs ? ` → ${refs}` : ''}: ${oneLine(cause.summary)}`,
      );
      if (cause.hint) lines.push(`  - Fix: ${oneLine(cause.hint)}`);
      if (cause.blocks.length > 0) lines.push(`  - Blocked: ${cause.blocks.join(', ')}`);
    }
    lines.push('');
  }
  lines.push('## Observations', '', '| Check | Status | Observation | Component | Guide |', '|---|---|---|---|---|');
  for (const row of report.table) {
    lines.push(
      `| ${cell(row.checkId)} | ${STATUS_MARK[row.status] ?? row.status}${row.why ? ` (${row.why})` : ''} | ${cell(row.observation)} | ${COMPONENT_MARK[row.status] ?? row.status}: ${cell(row.component)} | ${mdReferences(row.guide, '; ')} |`,
    );
  }
  lines.push('');
  const checkWarnings = report.table.flatMap((row) => row.warnings.map((w) => `- **${row.checkId}**: ${oneLine(w)}`));
  if (checkWarnings.length > 0) lines.push('## Check warnings', '', ...checkWarnings, '');
  if (audit.warnings.length > 0) {
    lines.push('## Warnings', '', ...audit.warnings.map((w) => `- ${oneLine(w)}`), '');
  }
  if (audit.cleanup) {
    const ns = oneLine(audit.cleanup.namespace ?? '(none)');
    lines.push(
      '## Cleanup',
      '',
      audit.cleanup.deleted
        ? `Namespace ${ns} deleted.`
        : `Namespace ${ns} NOT deleted: ${oneLine(audit.cleanup.detail ?? '')}`,
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
