/**
 * One container instance's log as the kubelet keeps it (CRI log file): lines with the time they
 * were written and the stream, readable with tail/since/limit, and followable until the
 * container ends.
 */
import { nowNanos } from '../containers/clock.js';

export interface LogEntry {
  /** RFC3339Nano as the kubelet prints with `timestamps=true` (trailing zeros trimmed, like Go). */
  timestamp: string;
  millis: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export function rfc3339Nano(nanos: bigint): string {
  const millis = Number(nanos / 1_000_000n);
  const fraction = String(nanos % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${new Date(millis).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

export class ContainerLog {
  readonly entries: LogEntry[] = [];
  private readonly partial: Record<LogEntry['stream'], string> = { stdout: '', stderr: '' };
  private readonly followers = new Set<(entry: LogEntry | undefined) => void>();
  private ended = false;

  write(stream: LogEntry['stream'], data: string | Buffer): void {
    if (this.ended) return;
    const text = this.partial[stream] + data.toString();
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.push(stream, `${line}\n`);
  }

  /** The container ended: flush partial lines and release followers. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
    this.ended = true;
    for (const follower of this.followers) follower(undefined);
    this.followers.clear();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Calls `listener` for each new entry, then with undefined when the log ends. Returns unsubscribe. */
  follow(listener: (entry: LogEntry | undefined) => void): () => void {
    if (this.ended) {
      queueMicrotask(() => listener(undefined));
      return () => undefined;
    }
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  private push(stream: LogEntry['stream'], text: string): void {
    const nanos = nowNanos();
    const entry = { timestamp: rfc3339Nano(nanos), millis: Number(nanos / 1_000_000n), stream, text };
    this.entries.push(entry);
    for (const follower of this.followers) follower(entry);
  }
}
