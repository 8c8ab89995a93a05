import { callScope, DEFAULT_CALL_TIMEOUT_MS } from '../cluster/deadline.js';
import { interruptedWaitError, newWatchHealth, type WatchHealth } from '../cluster/wait-for.js';
import { type CallOptions, type ClusterAccess, ClusterError, type ResourceKind } from '../cluster-access.js';
import type { Typed } from '../objects.js';
import type { ObjectMatcher } from './selector-match.js';

/**
 * How long one informer's list+watch may run before it is started afresh (it is closed with the
 * run long before: the run's namespace lives at most 2 h).
 */
const INFORMER_LIFETIME_MS = 2 * 3600_000;
/** A read served from the cache waits this long for the cache to show the run's own writes; then it asks the server. */
const READ_BARRIER_MS = 3_000;
/** Resource versions remembered per object, to tell that the cache has seen a write it was told about. */
const RV_HISTORY = 8;

/**
 * A write the run made to this kind, which every read must see before it answers (read-after-write,
 * as a direct list would give): `rv` for a create or patch (seen when the object is at that
 * resourceVersion or later), `deleted` for a delete (seen when the object is gone or terminating).
 */
export type WriteBarrier = { name: string; rv: string } | { name: string; deleted: true };

interface Waiter {
  /** Asks the predicate; true when the waiter is settled (answered or failed). */
  evaluate(objects: readonly Typed[]): boolean;
  fail(err: unknown): void;
}

/**
 * The run's one view of a kind in one namespace (or cluster-wide): a list+watch through
 * ClusterAccess.waitFor, so relists, re-watches, 410 Gone, back-off and the bounded reconnects
 * are the seam's own, shared by every wait and read of the run. It starts only when a wait
 * needs it (the same wait would have opened the same watch without the cache, after the
 * permission step let its check run); when the first list already answers every waiter it stops
 * again, costing one list as before, unless the kind is read again later (`stayLive`). Once it
 * watches it stays live until the run closes it.
 */
export class Informer {
  private objects = new Map<string, Typed>();
  private readonly history = new Map<string, string[]>();
  private state: 'idle' | 'listing' | 'live' = 'idle';
  private readonly waiters = new Set<Waiter>();
  private barriers: Array<{ barrier: WriteBarrier; relists: number }> = [];
  private current: AbortController | undefined;
  private health: WatchHealth = newWatchHealth();

  constructor(
    private readonly inner: ClusterAccess,
    readonly resource: ResourceKind,
    private readonly namespace: string | undefined,
    /** Aborted when the run closes the cache: every watch ends with it. */
    private readonly closed: AbortSignal,
    /**
     * Keep watching even when the first list answered every waiter: for kinds the run reads
     * again later (one watch then saves every later list).
     */
    private stayLive = false,
  ) {}

  /**
   * Starts following now, before any wait, and keeps following: for a kind a later check will
   * wait on, so that its wait starts from a live view instead of a list in the middle of the
   * run's busiest moment. The caller has made sure the run may list and watch the kind.
   */
  prefetch(): void {
    this.stayLive = true;
    if (this.state === 'idle') this.start();
  }

  /** Whether the informer follows the kind right now (reads may be served from it). */
  get live(): boolean {
    return this.state === 'live';
  }

  /**
   * ClusterAccess.waitFor on the shared view: the predicate sees the matching objects now (once
   * the run's own writes are visible) and after every change. Times out and aborts as a call
   * does; a timeout while the watch cannot be resumed is WATCH_INTERRUPTED, as the seam says.
   */
  wait<T>(
    match: ObjectMatcher,
    predicate: (objects: readonly Typed[]) => T | undefined,
    opts?: CallOptions,
  ): Promise<T> {
    const scope = callScope(opts, DEFAULT_CALL_TIMEOUT_MS);
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        this.waiters.delete(waiter);
        scope.signal.removeEventListener('abort', onAbort);
        scope.done();
      };
      const waiter: Waiter = {
        evaluate: (objects) => {
          let value: T | undefined;
          try {
            value = predicate(objects.filter(match));
          } catch (err) {
            finish();
            reject(err);
            return true;
          }
          if (value === undefined) return false;
          finish();
          resolve(value);
          return true;
        },
        fail: (err) => {
          finish();
          reject(err);
        },
      };
      const onAbort = () =>
        waiter.fail(
          interruptedWaitError(
            this.resource,
            this.health,
            scope.fail(scope.signal.reason, () => new ClusterError('aborted', 'cancelled')),
          ),
        );
      if (scope.signal.aborted) return onAbort();
      scope.signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      if (this.state === 'idle') this.start();
      else if (this.state === 'live' && this.caughtUp()) waiter.evaluate(this.snapshot());
    });
  }

  /**
   * The matching objects from the live view once it shows the run's own writes, or undefined
   * (not live, its watch failed, or it did not catch up in time): the caller then asks the
   * server, exactly as without the cache.
   */
  async read(match: ObjectMatcher, opts?: CallOptions): Promise<Typed[] | undefined> {
    if (!this.live) return undefined;
    if (this.caughtUp()) return this.snapshot().filter(match);
    const timeoutMs = Math.min(opts?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, READ_BARRIER_MS);
    try {
      return await this.wait(match, (objects) => [...objects], { ...opts, timeoutMs });
    } catch (err) {
      if (err instanceof ClusterError && err.kind === 'aborted') throw err;
      return undefined;
    }
  }

  /** Told about each write the run made to this kind (after the server accepted it). */
  wrote(barrier: WriteBarrier): void {
    // An idle informer lists afresh when it starts: nothing to catch up with.
    if (this.state === 'idle') return;
    this.barriers.push({ barrier, relists: this.health.relists });
    this.settleBarriers();
  }

  private snapshot(): Typed[] {
    return [...this.objects.values()];
  }

  private caughtUp(): boolean {
    return this.barriers.length === 0;
  }

  private settleBarriers(): void {
    this.barriers = this.barriers.filter((b) => !this.seen(b.barrier, b.relists));
  }

  private seen(barrier: WriteBarrier, relistsAtWrite: number): boolean {
    const obj = this.objects.get(barrier.name);
    if ('deleted' in barrier) return !obj || obj.metadata?.deletionTimestamp !== undefined;
    const versions = this.history.get(barrier.name) ?? [];
    if (versions.includes(barrier.rv)) return true;
    const rv = obj?.metadata?.resourceVersion;
    // Resource versions are etcd revisions: the API server's watch cache orders them as numbers
    // (apiserver pkg/storage/cacher, the resourceVersion parsed to uint64). Only opaque ones fall
    // back to "a list completed after the write".
    if (rv && /^\d+$/.test(rv) && /^\d+$/.test(barrier.rv)) return BigInt(rv) >= BigInt(barrier.rv);
    if (!obj && versions.length > 0) return true; // deleted since
    return this.health.relists > relistsAtWrite + 1;
  }

  private start(): void {
    if (this.closed.aborted) {
      for (const w of [...this.waiters]) w.fail(new ClusterError('aborted', 'cancelled'));
      return;
    }
    const run = new AbortController();
    const onClose = () => run.abort(new ClusterError('aborted', 'cancelled'));
    this.closed.addEventListener('abort', onClose, { once: true });
    this.current = run;
    this.state = 'listing';
    this.health = newWatchHealth();
    let first = true;
    this.inner
      .waitFor(
        this.resource,
        this.namespace ? { namespace: this.namespace } : {},
        (objects) => {
          this.accept(objects as readonly Typed[]);
          // Nobody needs a watch when the first list answered everyone: stop, as a wait did.
          const stop = first && this.waiters.size === 0 && !this.stayLive;
          first = false;
          if (!stop) this.state = 'live';
          return stop ? true : undefined;
        },
        { signal: run.signal, timeoutMs: INFORMER_LIFETIME_MS, watchHealth: this.health },
      )
      .then(
        () => this.ended(run, undefined),
        (err: unknown) => this.ended(run, err),
      )
      .finally(() => this.closed.removeEventListener('abort', onClose));
  }

  private accept(objects: readonly Typed[]): void {
    this.objects = new Map(objects.map((o) => [o.metadata?.name ?? '', o]));
    for (const [name, o] of this.objects) {
      const rv = o.metadata?.resourceVersion;
      if (!rv) continue;
      const versions = this.history.get(name) ?? [];
      if (versions[versions.length - 1] !== rv) this.history.set(name, [...versions, rv].slice(-RV_HISTORY));
    }
    for (const name of this.history.keys()) if (!this.objects.has(name)) this.history.delete(name);
    this.settleBarriers();
    if (!this.caughtUp()) return;
    const snapshot = this.snapshot();
    for (const w of [...this.waiters]) w.evaluate(snapshot);
  }

  /** The list+watch ended: stopped after its first list, closed with the run, or failed. */
  private ended(run: AbortController, err: unknown): void {
    if (this.current !== run) return;
    this.current = undefined;
    this.state = 'idle';
    this.objects = new Map();
    this.history.clear();
    this.barriers = [];
    if (err === undefined) {
      // Stopped after its first list; a waiter that came since needs a new one.
      if (this.waiters.size > 0) this.start();
      return;
    }
    if (this.closed.aborted) {
      for (const w of [...this.waiters]) w.fail(new ClusterError('aborted', 'cancelled'));
      return;
    }
    if (err instanceof ClusterError && err.kind === 'timeout' && this.waiters.size > 0) {
      this.start();
      return;
    }
    // forbidden, not-found, too-large, a watch that could not be resumed: every waiter hears it,
    // as each would have from its own list+watch; the next wait starts afresh.
    for (const w of [...this.waiters]) w.fail(err);
  }
}
