/**
 * Every timer a controller or kubelet arms goes through one TimerSet, so `stop()` leaves
 * nothing behind and a re-armed key replaces its previous timer (debounce, retry).
 */
export class TimerSet {
  private readonly keyed = new Map<string, NodeJS.Timeout>();
  private readonly loose = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Runs fn once after ms; several calls arm several timers. */
  after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.loose.delete(t);
      fn();
    }, ms);
    this.loose.add(t);
  }

  /** Arms (or re-arms) the timer called key. */
  set(key: string, ms: number, fn: () => void): void {
    if (this.stopped) return;
    this.cancel(key);
    const t = setTimeout(() => {
      this.keyed.delete(key);
      fn();
    }, ms);
    this.keyed.set(key, t);
  }

  /** Arms the timer called key unless it is already armed (debounce to the first call). */
  ensure(key: string, ms: number, fn: () => void): void {
    if (!this.keyed.has(key)) this.set(key, ms, fn);
  }

  has(key: string): boolean {
    return this.keyed.has(key);
  }

  cancel(key: string): void {
    const t = this.keyed.get(key);
    if (t) clearTimeout(t);
    this.keyed.delete(key);
  }

  /** Repeats fn every ms until the set is cleared. */
  every(key: string, ms: number, fn: () => void): void {
    const tick = () => {
      fn();
      this.set(key, ms, tick);
    };
    this.set(key, ms, tick);
  }

  clearAll(): void {
    for (const t of this.keyed.values()) clearTimeout(t);
    for (const t of this.loose) clearTimeout(t);
    this.keyed.clear();
    this.loose.clear();
  }

  /** Clears everything and refuses new timers: for a component that is gone for good. */
  stop(): void {
    this.clearAll();
    this.stopped = true;
  }
}
