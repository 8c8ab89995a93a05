import { REPORT_FORMATS, type ReportFormat } from './formats.js';
import { buildReport } from './model.js';
import type { AuditRun } from './schema.js';

/** Renders a run in one of the report formats. */
export function renderReport(run: AuditRun, format: ReportFormat): string {
  return REPORT_FORMATS[format].render(buildReport(run));
}

export { REPORT_FORMAT_NAMES, REPORT_FORMATS, type ReportFormat, reportFormats } from './formats.js';
export { type AuditReport, buildReport } from './model.js';
