import { Registry } from 'prom-client';
import { type AppDeps, createApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { AuditStore } from '../../src/db/store.js';
import { AuditRunner } from '../../src/engine/service/runner.js';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import type { SuiteExecutor } from '../../src/engine/types.js';
import type { Catalog } from '../../src/kernel/catalog.js';
import type { Logger } from '../../src/kernel/logger.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { ServiceMetrics } from '../../src/metrics/service-metrics.js';
import { developerPolicy, type OutboundPolicy } from '../../src/net/outbound-policy.js';
import { fastReads } from '../../src/routes/audits/fast-read.js';
import { presentRunSummary } from '../../src/routes/audits/present.js';
import { type RetryPolicy, WebhookDispatcher } from '../../src/webhook/dispatcher.js';
import type { HttpCallbacks } from '../../src/webhook/intake.js';
import { allPassing, fakeCatalog, ScriptedExecutor } from './fakes.js';

export interface HarnessOptions {
  executor?: SuiteExecutor;
  catalog?: Catalog;
  apiTokens?: string[];
  dbPath?: string;
  maxConcurrent?: number;
  maxQueued?: number;
  tenantMaxConcurrent?: number;
  tenantMaxQueued?: number;
  /** Audits of one API server at once (KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER). */
  clusterMaxConcurrent?: number;
  maxEventStreamsPerTenant?: number;
  deadlineSeconds?: number;
  bodyLimitBytes?: number;
  /** What intake lets through (default: the developer policy, loopback allowed). */
  outbound?: OutboundPolicy;
  /** SSE heartbeat interval (default: the app's 15 s). */
  sseHeartbeatMs?: number;
  /** The app's metrics (default: fresh ones on their own Registry); pass them to count an executor's cluster calls. */
  metrics?: ServiceMetrics;
  /** KUBEPROOF_METRICS_TOKEN. */
  metricsToken?: string;
  /** KUBEPROOF_CALLBACK_SECRETS as name → value. */
  callbackSecrets?: Record<string, string>;
  /** Where http:// callbacks may go (default `loopback`, as with the service on 127.0.0.1). */
  httpCallbacks?: HttpCallbacks;
  /** Webhook retries (tests shrink the back-off). */
  webhookRetry?: Partial<RetryPolicy>;
  /** KUBEPROOF_AUDIT_NAMESPACE: the namespace audits run in when their options name none. */
  defaultNamespace?: string;
}

/**
 * Builds the app around a real database (in memory unless dbPath is given, real migrations)
 * and an injected executor. Log lines are kept in `logs` so tests can look for leaks.
 */
export function createHarness(options: HarnessOptions = {}) {
  const database = openDatabase(options.dbPath ?? ':memory:');
  const store = new AuditStore(database.db);
  const logs: string[] = [];
  const logger: Logger = createLogger({ write: (line) => logs.push(line) });
  // Ticks 1 ms per reading, from the real time: ordering by creation time never ties.
  let last = 0;
  const clock = {
    now: () => {
      last = Math.max(last + 1, Date.now());
      return new Date(last);
    },
  };
  const executor = options.executor ?? new ScriptedExecutor(allPassing);
  const metrics = options.metrics ?? new ServiceMetrics(new Registry());
  const outbound = options.outbound ?? developerPolicy();
  const secrets = new Map(Object.entries(options.callbackSecrets ?? {}));
  const webhooks = new WebhookDispatcher({
    store,
    outbound,
    secrets,
    clock,
    logger,
    present: presentRunSummary,
    onAttempt: metrics.webhookAttempt,
    ...(options.webhookRetry ? { retry: options.webhookRetry } : {}),
  });
  const runner = new AuditRunner({
    store,
    executor,
    clock,
    logger,
    maxConcurrent: options.maxConcurrent ?? 4,
    ...(options.maxQueued !== undefined ? { maxQueued: options.maxQueued } : {}),
    ...(options.tenantMaxConcurrent !== undefined ? { tenantMaxConcurrent: options.tenantMaxConcurrent } : {}),
    ...(options.tenantMaxQueued !== undefined ? { tenantMaxQueued: options.tenantMaxQueued } : {}),
    ...(options.clusterMaxConcurrent !== undefined ? { clusterMaxConcurrent: options.clusterMaxConcurrent } : {}),
    deadlineSeconds: options.deadlineSeconds ?? 300,
    observers: [metrics, webhooks],
  });
  const deps: AppDeps = {
    store,
    runner,
    catalog: options.catalog ?? fakeCatalog,
    clock,
    logger,
    outbound,
    metrics: metrics.registry,
    settings: {
      apiTokens: options.apiTokens ?? [],
      bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
      ...(options.maxEventStreamsPerTenant ? { maxEventStreamsPerTenant: options.maxEventStreamsPerTenant } : {}),
      ...(options.sseHeartbeatMs ? { sseHeartbeatMs: options.sseHeartbeatMs } : {}),
      ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
      callbackSecretNames: [...secrets.keys()],
      httpCallbacks: options.httpCallbacks ?? 'loopback',
      ...(options.defaultNamespace ? { defaultNamespace: options.defaultNamespace } : {}),
    },
  };
  const app = createApp(deps);
  // What the service's listener answers before the app (tests that run a real listener use it).
  const fastPath = fastReads(deps);
  const close = async () => {
    await runner.shutdown();
    await webhooks.close();
    database.close();
  };
  return { app, fastPath, store, runner, executor, metrics, webhooks, logs, database, close };
}

export type Harness = ReturnType<typeof createHarness>;

/** JSON request helper: returns status, headers and parsed body (text when not JSON). */
export async function call(
  harness: Harness,
  method: string,
  path: string,
  init: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await harness.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies by path
  return { status: res.status, headers: res.headers, body: parsed as any, text };
}

/**
 * The harnesses one test file creates, all closed by `closeAll` (call it in afterEach).
 * @example const pool = harnessPool(); afterEach(pool.closeAll); const h = pool.harness({ apiTokens });
 */
export function harnessPool() {
  const open: Harness[] = [];
  return {
    harness(options: HarnessOptions = {}): Harness {
      const h = createHarness(options);
      open.push(h);
      return h;
    },
    async closeAll(): Promise<void> {
      for (const h of open.splice(0)) await h.close();
    },
  };
}

/** A harness around the real suite executor and catalog (end-to-end tests against the sim). */
export function createSuiteHarness(options: Omit<HarnessOptions, 'executor' | 'catalog'> = {}): Harness {
  return createHarness({
    ...options,
    executor: createSuiteExecutor({ clock: { now: () => new Date() }, logger: silentLogger }),
    catalog: suiteCatalog(),
  });
}
