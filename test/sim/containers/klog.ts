/**
 * klog's header, as agnhost's current images print every `log.Printf` line through klog:
 * `I0523 14:55:35.277355       1 log.go:245] GET /hostname` (severity, MMDD, time with
 * microseconds, the thread id right-aligned on 7 columns, source file:line).
 */
import { nanosToDate, nowNanos } from './clock.js';

export function klogLine(message: string, nanos = nowNanos(), severity: 'I' | 'W' | 'E' = 'I'): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const now = nanosToDate(nanos);
  const micros = pad(Number((nanos / 1000n) % 1_000_000n), 6);
  const stamp = `${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}.${micros}`;
  return `${severity}${stamp} ${'1'.padStart(7)} log.go:245] ${message}\n`;
}

/** Go's `time.Now().String()`: `2024-05-23 14:55:35.277355123 +0000 UTC m=+12.345678901`. */
export function goTimeString(nanos: bigint, startedAt: bigint): string {
  const iso = nanosToDate(nanos).toISOString();
  const fraction = String(nanos % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  const elapsed = nanos - startedAt;
  const monotonic = `${elapsed / 1_000_000_000n}.${String(elapsed % 1_000_000_000n).padStart(9, '0')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC m=+${monotonic}`;
}
