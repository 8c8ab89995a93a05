/**
 * Stored evidence is bounded per check: whatever a check (or the server it talked to) put in a
 * result, the row written to the database stays small. Text fields are cut, long lists shortened
 * and evidence past its budget replaced by a note saying how big it was.
 */

import type { CheckResult } from '../../kernel/results.js';
import { truncateBytes } from '../../untrusted-text.js';

export const RESULT_LIMITS = {
  /** The whole evidence object, as JSON. */
  evidenceBytes: 64 << 10,
  /** Any one string inside the evidence. */
  evidenceStringBytes: 2 << 10,
  /** Items kept of any one array inside the evidence. */
  evidenceArrayItems: 100,
  /** Nesting kept inside the evidence. */
  evidenceDepth: 8,
  /** summary and hint. */
  textBytes: 2 << 10,
  warnings: 20,
  /** An event message. */
  eventBytes: 4 << 10,
} as const;

function shrink(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return truncateBytes(value, RESULT_LIMITS.evidenceStringBytes);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= RESULT_LIMITS.evidenceDepth) return '[nested too deep: not stored]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, RESULT_LIMITS.evidenceArrayItems).map((v) => shrink(v, depth + 1));
    const more = value.length - kept.length;
    return more > 0 ? [...kept, `… ${more} more not stored`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[truncateBytes(key, 256)] = shrink(v, depth + 1);
  return out;
}

/** Evidence within RESULT_LIMITS: shrunk, or replaced by a note when still too big. */
export function boundEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  const shrunk = shrink(evidence, 0) as Record<string, unknown>;
  const bytes = Buffer.byteLength(JSON.stringify(shrunk));
  if (bytes <= RESULT_LIMITS.evidenceBytes) return shrunk;
  return {
    truncated: true,
    note: `the evidence was ${bytes} bytes, over kubeproof's limit of ${RESULT_LIMITS.evidenceBytes} per check; not stored`,
  };
}

/** A result as it may be stored: every field within RESULT_LIMITS. */
export function boundResult(result: CheckResult): CheckResult {
  const text = (s: string) => truncateBytes(s, RESULT_LIMITS.textBytes);
  return {
    ...result,
    summary: text(result.summary),
    hint: result.hint === undefined ? undefined : text(result.hint),
    warnings: result.warnings.slice(0, RESULT_LIMITS.warnings).map(text),
    evidence: boundEvidence(result.evidence ?? {}),
  };
}
