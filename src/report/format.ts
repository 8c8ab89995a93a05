import type { z } from '@hono/zod-openapi';
import type { AuditReport } from './model.js';

/**
 * One report format: everything the API, the OpenAPI document and the CLI need to know of it.
 * A format is one renderer file exporting one of these, plus one line in formats.ts.
 */
export interface ReportFormatSpec {
  /** What people call it in messages ("JUnit XML"). */
  label: string;
  /** The Content-Type the API answers with. */
  mediaType: string;
  /**
   * Media types an `Accept` header may name to get this format, the first being the one the
   * OpenAPI document lists. A wildcard (`text/*`) picks the first format of that type.
   */
  accepts: readonly [string, ...string[]];
  /** File name extension, without the dot. */
  extension: string;
  /** The body as the OpenAPI document describes it. */
  schema: z.ZodType;
  render(report: AuditReport): string;
}
