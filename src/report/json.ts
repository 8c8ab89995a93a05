import type { ReportFormatSpec } from './format.js';
import type { AuditReport } from './model.js';
import { AuditReportSchema } from './schema.js';

/** The JSON report: the model as is, pretty-printed for humans reading files. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const jsonFormat: ReportFormatSpec = {
  label: 'JSON',
  mediaType: 'application/json',
  accepts: ['application/json'],
  extension: 'json',
  schema: AuditReportSchema,
  render: renderJson,
};
