import type { AuditReport } from './model.js';

/** The JSON report: the model as is, pretty-printed for humans reading files. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
