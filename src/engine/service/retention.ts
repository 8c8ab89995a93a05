import type { AuditStore } from '../../db/store.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How the job is woken: setInterval by default; tests pass a manual ticker (no sleeping). */
export interface Ticker {
  every(ms: number, tick: () => void): { stop(): void };
}

export const intervalTicker: Ticker = {
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    // The sweep alone never keeps the process alive; shutdown stops it anyway.
    timer.unref();
    return { stop: () => clearInterval(timer) };
  },
};

export interface RetentionOptions {
  store: Pick<AuditStore, 'deleteFinishedBefore'>;
  clock: Clock;
  logger: Logger;
  /** KUBEPROOF_RETENTION_DAYS: finished runs that ended longer ago than this are deleted. */
  retentionDays: number;
  /** How often to sweep (default hourly: a run outlives its retention by at most that). */
  intervalMs?: number;
  ticker?: Ticker;
}

/**
 * KUBEPROOF_RETENTION_DAYS as a background job: sweeps once at start, then every interval,
 * deleting finished runs (results and events with them) older than the retention. Queued and
 * running runs are never touched. `stop()` ends it (shutdown).
 * @example const job = startRetention({ store, clock, logger, retentionDays: 30 }); job.stop()
 */
export function startRetention(options: RetentionOptions): { sweep(): string[]; stop(): void } {
  const { store, clock, logger, retentionDays } = options;
  const sweep = (): string[] => {
    const cutoff = new Date(clock.now().getTime() - retentionDays * DAY_MS);
    try {
      const deleted = store.deleteFinishedBefore(cutoff);
      if (deleted.length > 0)
        logger.info('retention deleted finished audits', { count: deleted.length, before: cutoff.toISOString() });
      return deleted;
    } catch (err) {
      // A busy or failing database is retried at the next tick, never fatal to the service.
      logger.warn('retention sweep failed', { error: err instanceof Error ? err.message : String(err) });
      return [];
    }
  };
  sweep();
  const handle = (options.ticker ?? intervalTicker).every(options.intervalMs ?? 60 * 60 * 1000, sweep);
  return { sweep, stop: () => handle.stop() };
}
