/**
 * The shape every control loop here shares (informers → work queue → sync(key)): watch some
 * resources, map each change to the keys it concerns, sync each key once per batch. On
 * start it enqueues every key it owns, as a restarted controller relists.
 */
import type { WatchEvent } from '../../contracts.js';
import type { ControllerContext, Stop } from './context.js';
import { TimerSet } from './timers.js';
import { WorkQueue } from './work-queue.js';

export interface LoopSpec {
  name: string;
  /** For each watched resource: which keys a change to it should (re)sync. */
  watches: Record<string, (event: WatchEvent) => string[]>;
  /** Every key to sync when the loop (re)starts. */
  initialKeys: () => string[];
  sync: (key: string, loop: LoopHandle) => void;
  /** Extra set-up run after the watches are in place (returns its own stop). */
  onStart?: (loop: LoopHandle) => Stop | undefined;
}

export interface LoopHandle {
  queue: WorkQueue;
  timers: TimerSet;
}

export function startLoop(ctx: ControllerContext, spec: LoopSpec): Stop {
  const timers = new TimerSet();
  const handle: LoopHandle = { timers, queue: undefined as unknown as WorkQueue };
  handle.queue = new WorkQueue(spec.name, (key) => spec.sync(key, handle), timers);
  const unsubscribes = Object.entries(spec.watches).map(([resource, keysFor]) =>
    ctx.store.watch(resource, undefined, (event) => {
      for (const key of keysFor(event)) handle.queue.add(key);
    }),
  );
  const extraStop = spec.onStart?.(handle);
  for (const key of spec.initialKeys()) handle.queue.add(key);
  return () => {
    for (const u of unsubscribes) u();
    extraStop?.();
    handle.queue.stop();
    timers.stop();
  };
}
