/**
 * Wall-clock time with nanosecond digits that never goes backwards inside the process, so log
 * lines written in order carry increasing timestamps (the sub-millisecond digits come from hrtime).
 */
let last = 0n;

export function nowNanos(): bigint {
  const candidate = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  last = candidate > last ? candidate : last + 1n;
  return last;
}

export function nanosToDate(nanos: bigint): Date {
  return new Date(Number(nanos / 1_000_000n));
}
