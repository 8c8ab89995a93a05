import type { TimerSet } from './timers.js';

/**
 * A de-duplicating work queue like client-go's: watch callbacks only add keys; the keys are
 * processed together on the next turn of the event loop, outside the store's delivery, so a
 * handler may write to the store freely. A handler that throws is retried shortly after.
 */
export class WorkQueue {
  private readonly keys = new Set<string>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly handle: (key: string) => void,
    private readonly timers: TimerSet,
    private readonly retryMs = 50,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.keys.add(key);
    this.immediate ??= setImmediate(() => this.flush());
  }

  addAfter(key: string, ms: number): void {
    this.timers.set(`${this.name}:${key}`, ms, () => this.add(key));
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.keys.clear();
  }

  private flush(): void {
    this.immediate = undefined;
    const batch = [...this.keys];
    this.keys.clear();
    for (const key of batch) {
      if (this.stopped) return;
      try {
        this.handle(key);
      } catch (err) {
        // Conflicts and races with other writers are expected; the real controllers requeue too.
        if (process.env.SIM_DEBUG) console.warn(`[${this.name}] ${key}:`, err);
        this.addAfter(key, this.retryMs);
      }
    }
  }
}
