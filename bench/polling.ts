/**
 * Repeated requests in one audit's request log (the simulated API server's, test/sim/server/
 * accounting.ts): the same question asked several times, and among those the ones asked at a
 * regular interval — a polling loop, which a watch would replace.
 */
import type { RequestLogEntry } from '../test/sim/server/accounting.js';

export interface RepeatedRequest {
  request: string;
  count: number;
  /** Median gap between two of them (ms). */
  medianGapMs: number;
}

/** Asked this often, a request counts as repeated; a polling loop also needs regular gaps. */
const REPEATED_AT = 3;
const POLLING_AT = 4;
/** Gaps whose spread (coefficient of variation) stays under this look like a timer. */
const REGULAR_CV = 0.5;

export function repeatedRequests(log: readonly RequestLogEntry[]): {
  repeated: RepeatedRequest[];
  polling: RepeatedRequest[];
} {
  const byRequest = new Map<string, number[]>();
  for (const entry of log) {
    // A watch is the opposite of polling; each one is counted as a watch elsewhere.
    if (entry.verb === 'watch') continue;
    const request = `${entry.verb} ${entry.key}`;
    const times = byRequest.get(request) ?? [];
    times.push(entry.at);
    byRequest.set(request, times);
  }
  const repeated: RepeatedRequest[] = [];
  const polling: RepeatedRequest[] = [];
  for (const [request, times] of byRequest) {
    if (times.length < REPEATED_AT) continue;
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const sorted = [...gaps].sort((a, b) => a - b);
    const entry = { request, count: times.length, medianGapMs: sorted[Math.floor(sorted.length / 2)] ?? 0 };
    repeated.push(entry);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    if (times.length >= POLLING_AT && mean > 0 && sd / mean < REGULAR_CV) polling.push(entry);
  }
  const byCount = (a: RepeatedRequest, b: RepeatedRequest) => b.count - a.count;
  return { repeated: repeated.sort(byCount), polling: polling.sort(byCount) };
}
