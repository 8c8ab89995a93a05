import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { secretsEncryption } from './checks/encryption/index.js';
import { DEFAULT_GUIDE, loadRunbook } from './checks/guide.js';
import { type Config, ConfigError, isLoopback, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { AuditStore } from './db/store.js';
import { AuditRunner } from './engine/service/runner.js';
import { createSuiteExecutor, suiteCatalog } from './engine/suite/suite.js';
import type { Clock } from './kernel/clock.js';
import type { Logger } from './kernel/logger.js';
import { createLogger } from './logger.js';
import { OutboundPolicy } from './net/outbound-policy.js';

/** The checks side: the suite and its catalog, both using the operator's runbook when one is configured. */
function buildCheckEngine(config: Config, clock: Clock, logger: Logger, outbound: OutboundPolicy) {
  // loadRunbook throws a readable error for an invalid file; main() prints it and exits.
  const guide = config.runbookPath ? loadRunbook(config.runbookPath) : DEFAULT_GUIDE;
  const extraChecks = [secretsEncryption];
  // A run's namespace must outlive the run, or a concurrent audit's sweep would delete it.
  const namespaceTtlMs = (config.auditDeadlineSeconds + 3600) * 1000;
  return {
    executor: createSuiteExecutor({ clock, logger, guide, extraChecks, namespaceTtlMs, outbound }),
    catalog: suiteCatalog({ guide, extraChecks }),
  };
}

/**
 * Starts kubeproof: database (migrated), stale runs marked interrupted, runner, listener.
 * Resolves once listening; `stop()` drains in-flight audits (their cleanup runs) and closes.
 */
export async function startServer(config: Config, io: { writeLog?: (line: string) => void } = {}) {
  const logger = createLogger({ write: io.writeLog ?? ((line) => process.stderr.write(line)) });
  const clock = { now: () => new Date() };
  const database = openDatabase(config.dbPath);
  const store = new AuditStore(database.db);
  const interrupted = store.interruptUnfinished(clock.now());
  if (interrupted.length > 0)
    logger.warn('marked audits left by a previous process as interrupted', { count: interrupted.length });
  // Loopback targets are dialled only when the service itself listens on loopback (a developer set-up).
  const outbound = new OutboundPolicy({ allowed: config.allowedTargets, allowLoopback: isLoopback(config.host) });
  const { executor, catalog } = buildCheckEngine(config, clock, logger, outbound);
  const runner = new AuditRunner({
    store,
    executor,
    clock,
    logger,
    maxConcurrent: config.maxConcurrentAudits,
    maxQueued: config.maxQueuedAudits,
    tenantMaxConcurrent: config.tenantMaxConcurrentAudits,
    tenantMaxQueued: config.tenantMaxQueuedAudits,
    deadlineSeconds: config.auditDeadlineSeconds,
  });
  const app = createApp({
    store,
    runner,
    catalog,
    clock,
    logger,
    outbound,
    settings: {
      apiTokens: config.apiTokens,
      bodyLimitBytes: config.bodyLimitBytes,
      maxEventStreamsPerTenant: config.maxEventStreamsPerTenant,
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('kubeproof listening', {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    auth: config.apiTokens.length > 0,
  });
  const stop = async () => {
    // Stop accepting connections first; open event streams end as their runs reach a final status.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await runner.shutdown();
    await closed;
    database.close();
  };
  return { port, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kubeproof: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { stop } = await startServer(config);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`kubeproof: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
