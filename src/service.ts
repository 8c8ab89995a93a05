/**
 * The service without a listener: database (migrated; stale runs marked interrupted), check
 * engine, runner and the HTTP app. `npm start` puts a listener in front of it; the CLI's
 * in-process mode calls `app.request` directly on an in-memory database.
 */

import { Registry } from 'prom-client';
import { type AppDeps, createApp } from './app.js';
import { DEFAULT_GUIDE, loadRunbook } from './checks/guide.js';
import { type Config, isLoopback } from './config.js';
import { openDatabase } from './db/client.js';
import { AuditStore } from './db/store.js';
import { AuditRunner } from './engine/service/runner.js';
import { createSuiteExecutor, suiteCatalog } from './engine/suite/suite.js';
import type { Clock } from './kernel/clock.js';
import type { Logger } from './kernel/logger.js';
import { createLogger } from './logger.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { OutboundPolicy } from './net/outbound-policy.js';
import { fastReads } from './routes/audits/fast-read.js';
import { presentRunSummary } from './routes/audits/present.js';
import { WebhookDispatcher } from './webhook/dispatcher.js';
import { leftByInterruptedRun } from './workload/names.js';

/** The checks side: the suite and its catalog, both using the operator's runbook when one is configured. */
function buildCheckEngine(
  config: Config,
  clock: Clock,
  logger: Logger,
  outbound: OutboundPolicy,
  metrics: ServiceMetrics,
) {
  // loadRunbook throws a readable error for an invalid file; main() prints it and exits.
  const guide = config.runbookPath ? loadRunbook(config.runbookPath) : DEFAULT_GUIDE;
  // A run's namespace must outlive the run, or a concurrent audit's sweep would delete it.
  const namespaceTtlMs = (config.auditDeadlineSeconds + 3600) * 1000;
  return {
    executor: createSuiteExecutor({
      clock,
      logger,
      guide,
      namespaceTtlMs,
      outbound,
      onApiRequest: metrics.apiRequest,
      heartbeatMs: config.namespaceHeartbeatSeconds * 1000,
      heartbeatLapseMs: config.namespaceLapseSeconds * 1000,
    }),
    catalog: suiteCatalog({ guide }),
  };
}

export interface ServiceIo {
  writeLog?: (line: string) => void;
  /** Where the service reads the time (default: the system clock); tests move it. */
  clock?: Clock;
}

/**
 * Builds the service around its database. `close()` drains in-flight audits (their cleanup
 * runs), then closes the database.
 * @example const service = createService(loadConfig({ KUBEPROOF_DB: ':memory:' }), { writeLog: () => {} })
 */
export function createService(config: Config, io: ServiceIo = {}) {
  const logger = createLogger({ write: io.writeLog ?? ((line) => process.stderr.write(line)), level: config.logLevel });
  const clock = io.clock ?? { now: () => new Date() };
  const database = openDatabase(config.dbPath);
  const store = new AuditStore(database.db);
  const interrupted = store.interruptUnfinished(clock.now(), leftByInterruptedRun);
  if (interrupted.length > 0)
    logger.warn('marked audits left by a previous process as interrupted', { count: interrupted.length });
  // Loopback targets are dialled only when the service itself listens on loopback (a developer set-up).
  const outbound = new OutboundPolicy({ allowed: config.allowedTargets, allowLoopback: isLoopback(config.host) });
  // One Registry per service (never prom-client's global one): GET /metrics shows this service only.
  const registry = new Registry();
  const metrics = new ServiceMetrics(registry, {
    clusterLabels: config.metricsClusterLabels,
    maxClusters: config.metricsMaxClusters,
  });
  const { executor, catalog } = buildCheckEngine(config, clock, logger, outbound, metrics);
  // Callbacks: POSTed through the same outbound policy as everything else kubeproof dials.
  const webhooks = new WebhookDispatcher({
    store,
    outbound,
    secrets: config.callbackSecrets,
    clock,
    logger,
    present: presentRunSummary,
    onAttempt: metrics.webhookAttempt,
  });
  const runner = new AuditRunner({
    store,
    executor,
    clock,
    logger,
    maxConcurrent: config.maxConcurrentAudits,
    maxQueued: config.maxQueuedAudits,
    tenantMaxConcurrent: config.tenantMaxConcurrentAudits,
    tenantMaxQueued: config.tenantMaxQueuedAudits,
    clusterMaxConcurrent: config.clusterMaxConcurrentAudits,
    deadlineSeconds: config.auditDeadlineSeconds,
    observers: [metrics, webhooks],
  });
  const deps: AppDeps = {
    store,
    runner,
    catalog,
    clock,
    logger,
    outbound,
    metrics: registry,
    settings: {
      apiTokens: config.apiTokens,
      bodyLimitBytes: config.bodyLimitBytes,
      maxEventStreamsPerTenant: config.maxEventStreamsPerTenant,
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
      callbackSecretNames: [...config.callbackSecrets.keys()],
      httpCallbacks: config.httpCallbacks,
      defaultNamespace: config.auditNamespace,
    },
  };
  const app = createApp(deps);
  // The listener's answer to reads of finished audits' cached bodies, before the app (server.ts).
  const fastPath = fastReads(deps);
  const close = async () => {
    await runner.shutdown();
    // A delivery still waiting for its next attempt is abandoned (recorded so) rather than holding up the exit.
    await webhooks.close();
    database.close();
  };
  return { app, fastPath, runner, store, logger, clock, webhooks, close };
}
