import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { AuditStore } from '../../src/db/store.js';
import { startRetention, type Ticker } from '../../src/engine/service/retention.js';
import type { RunStatus } from '../../src/kernel/vocabulary.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-06-01T12:00:00Z').getTime();

/** A ticker the test fires by hand: no timers, no sleeping. */
function manualTicker() {
  const state = { tick: undefined as (() => void) | undefined, intervalMs: 0, stopped: false };
  const ticker: Ticker = {
    every(ms, tick) {
      state.tick = tick;
      state.intervalMs = ms;
      return {
        stop: () => {
          state.stopped = true;
        },
      };
    },
  };
  return { ticker, state };
}

/** A run that ended (or, for queued/running, has not) `finishedDaysAgo` days before T0. */
function addRun(store: AuditStore, id: string, status: RunStatus, finishedDaysAgo: number) {
  const at = new Date(T0 - finishedDaysAgo * DAY);
  store.createRun({
    id,
    status: 'queued',
    createdAt: at,
    server: 'https://127.0.0.1:6443',
    clusterName: 'c',
    contextName: 'x',
    selection: [],
    options: {},
    labels: {},
    warnings: [],
  });
  store.recordEvent(id, { at, level: 'info', message: 'Audit queued.' });
  if (status === 'running') store.markRunning(id, at);
  if (status !== 'queued' && status !== 'running') store.finishRun(id, { status, finishedAt: at });
}

const dirs: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('retention job', () => {
  it('deletes finished runs older than the retention (events with them), never queued or running ones', () => {
    const database = openDatabase(':memory:');
    cleanups.push(() => database.close());
    const store = new AuditStore(database.db);
    addRun(store, 'old-passed', 'passed', 40);
    addRun(store, 'old-error', 'error', 31);
    addRun(store, 'recent-failed', 'failed', 29);
    addRun(store, 'old-running', 'running', 40);
    addRun(store, 'old-queued', 'queued', 40);
    let now = T0;
    const logs: string[] = [];
    const { ticker, state } = manualTicker();
    const job = startRetention({
      store,
      clock: { now: () => new Date(now) },
      logger: createLogger({ write: (l) => logs.push(l) }),
      retentionDays: 30,
      ticker,
    });
    // The first sweep runs at start.
    const ids = () => store.listRuns({ limit: 100 }).map((r) => r.id);
    expect(ids().sort()).toEqual(['old-queued', 'old-running', 'recent-failed']);
    expect(store.listEvents('old-passed')).toEqual([]);
    expect(logs.join('')).toContain('"count":2');
    expect(state.intervalMs).toBe(60 * 60 * 1000);

    now = T0 + 2 * DAY;
    state.tick?.();
    expect(ids().sort()).toEqual(['old-queued', 'old-running']);
    expect(job.sweep()).toEqual([]);
    job.stop();
    expect(state.stopped).toBe(true);
  });

  it('is started by the server when KUBEPROOF_RETENTION_DAYS is set, and stopped on shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-retention-'));
    dirs.push(dir);
    const dbPath = join(dir, 'k.db');
    const seeded = openDatabase(dbPath);
    const seedStore = new AuditStore(seeded.db);
    addRun(seedStore, 'old', 'passed', 10);
    addRun(seedStore, 'recent', 'failed', 1);
    seeded.close();

    let now = T0;
    const { ticker, state } = manualTicker();
    const server = await startServer(loadConfig({ PORT: '0', KUBEPROOF_DB: dbPath, KUBEPROOF_RETENTION_DAYS: '7' }), {
      writeLog: () => {},
      clock: { now: () => new Date(now) },
      retentionTicker: ticker,
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.stop();
    });
    const status = async (id: string) => (await fetch(`http://127.0.0.1:${server.port}/v1/audits/${id}`)).status;
    expect(await status('old')).toBe(404);
    expect(await status('recent')).toBe(200);
    now = T0 + 7 * DAY;
    state.tick?.();
    expect(await status('recent')).toBe(404);
    await server.stop();
    stopped = true;
    expect(state.stopped).toBe(true);
  });

  it('keeps every run when KUBEPROOF_RETENTION_DAYS is unset', async () => {
    const { ticker, state } = manualTicker();
    const server = await startServer(loadConfig({ PORT: '0', KUBEPROOF_DB: ':memory:' }), {
      writeLog: () => {},
      retentionTicker: ticker,
    });
    await server.stop();
    expect(state.tick).toBeUndefined();
  });
});

describe('KUBEPROOF_RETENTION_DAYS', () => {
  it('is a whole number of days from 1; unset keeps runs forever', () => {
    expect(loadConfig({}).retentionDays).toBeUndefined();
    expect(loadConfig({ KUBEPROOF_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    for (const bad of ['0', '-1', '1.5', 'month']) {
      try {
        loadConfig({ KUBEPROOF_RETENTION_DAYS: bad });
        expect.unreachable(`accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems.join('\n')).toContain(`KUBEPROOF_RETENTION_DAYS must be a whole number`);
      }
    }
  });
});
