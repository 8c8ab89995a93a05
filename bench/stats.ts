/** Small statistics the benchmark reports: nearest-rank percentiles, rounding. */

/** Nearest-rank percentile of a list (sorted here); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Rounds to `digits` decimals (JSON stays readable; NaN becomes null there). */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const mb = (bytes: number) => round(bytes / (1024 * 1024), 1);
