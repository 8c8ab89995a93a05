/**
 * The report-format registry: one line per format. The `?format=` enum, content negotiation,
 * the report route's OpenAPI content and the CLI's `--format` and file flags derive from it
 * (see CONTRIBUTING.md, "Add a report format").
 */
import { z } from '@hono/zod-openapi';
import type { ReportFormatSpec } from './format.js';
import { jsonFormat } from './json.js';
import { junitFormat } from './junit.js';
import { markdownFormat } from './markdown.js';

/** In preference order: `*\/*` gets the first, `text/*` the first text format. */
export const REPORT_FORMATS = {
  json: jsonFormat,
  junit: junitFormat,
  markdown: markdownFormat,
} as const satisfies Record<string, ReportFormatSpec>;

export type ReportFormat = keyof typeof REPORT_FORMATS;
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as [ReportFormat, ...ReportFormat[]];

/** `?format=` of the report route. */
export const ReportFormatSchema = z.enum(REPORT_FORMAT_NAMES);

/** The formats with their names, in registry order. */
export const reportFormats = (): Array<[ReportFormat, ReportFormatSpec]> =>
  REPORT_FORMAT_NAMES.map((name) => [name, REPORT_FORMATS[name]]);
