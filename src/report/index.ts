import type { AuditRun } from '../routes/audits/schema.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { buildReport } from './model.js';

export type ReportFormat = 'json' | 'junit' | 'markdown';

export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  junit: 'application/xml',
  markdown: 'text/markdown; charset=utf-8',
};

/** Renders a run in one of the report formats. */
export function renderReport(run: AuditRun, format: ReportFormat): string {
  const report = buildReport(run);
  if (format === 'junit') return renderJunit(report);
  if (format === 'markdown') return renderMarkdown(report);
  return renderJson(report);
}

export { type AuditReport, buildReport } from './model.js';
