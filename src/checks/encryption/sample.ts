/**
 * "Beyond the seed": a bounded look at Secrets already in etcd, to count those still stored
 * unencrypted (written before encryption was enabled, never rewritten). Metadata only: the
 * evidence keeps prefixes and a few names, never a value.
 */
import { readStoredValue } from './stored-value.js';

export const SAMPLE_LIMIT = 100;
const EXAMPLES = 5;

export interface StoredEntry {
  key: string;
  value: Buffer;
}

export interface SampleSummary {
  sampled: number;
  limit: number;
  /** True when etcd holds more Secrets than were sampled. */
  truncated: boolean;
  encrypted: number;
  unencrypted: number;
  /** Stored prefix → count, e.g. `{"k8s:enc:aescbc:v1:key1:": 40, "k8s\\0": 3}` (old keys show up here). */
  byPrefix: Record<string, number>;
  /** A few `namespace/name` of Secrets stored unencrypted. */
  unencryptedExamples: string[];
}

/** Counts how the sampled existing Secrets are stored, leaving out the marker (`skipKey`). */
export function summarizeSample(entries: readonly StoredEntry[], skipKey: string, truncated: boolean): SampleSummary {
  const summary: SampleSummary = {
    sampled: 0,
    limit: SAMPLE_LIMIT,
    truncated,
    encrypted: 0,
    unencrypted: 0,
    byPrefix: {},
    unencryptedExamples: [],
  };
  for (const entry of entries) {
    if (entry.key === skipKey) continue;
    const reading = readStoredValue(entry.value, []);
    summary.sampled++;
    summary.byPrefix[reading.prefix] = (summary.byPrefix[reading.prefix] ?? 0) + 1;
    if (reading.format === 'encrypted') summary.encrypted++;
    if (reading.format === 'unencrypted') {
      summary.unencrypted++;
      if (summary.unencryptedExamples.length < EXAMPLES) {
        summary.unencryptedExamples.push(entry.key.replace(/^\/registry\/secrets\//, ''));
      }
    }
  }
  return summary;
}
