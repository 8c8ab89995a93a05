/**
 * Tracks work started in the background so callers (tests, graceful shutdown) can wait for
 * it to settle without sleeping.
 * @example const bg = new Background(); bg.run(() => work()); await bg.whenIdle();
 */
export class Background {
  readonly #pending = new Set<Promise<unknown>>();
  #waiters: Array<() => void> = [];

  /** Starts `task` now; its rejection is the task's own business (it must handle its errors). */
  run(task: () => Promise<unknown>): void {
    const promise = task()
      .catch(() => undefined)
      .finally(() => {
        this.#pending.delete(promise);
        if (this.#pending.size === 0) this.#release();
      });
    this.#pending.add(promise);
  }

  idle(): boolean {
    return this.#pending.size === 0;
  }

  /** Resolves once nothing is pending (immediately if nothing is). */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
