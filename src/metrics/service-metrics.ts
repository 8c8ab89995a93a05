/**
 * What `GET /metrics` shows, on a prom-client Registry the caller owns (one per app: two
 * services in one process, as in the tests, never share counters, and nothing is registered on
 * prom-client's global default registry).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AuditRunRow } from '../db/schema/index.js';
import type { RunObserver } from '../engine/service/runner.js';
import type { CheckResult } from '../kernel/results.js';
import type { ApiVerb } from '../kube/counting-access.js';
import type { AttemptOutcome } from '../webhook/vocabulary.js';
import { type ClusterLabel, ClusterSeries } from './cluster-series.js';

export interface MetricsOptions {
  /** KUBEPROOF_METRICS_CLUSTER_LABELS: the labels of the per-cluster gauges; empty: no per-cluster gauges. */
  clusterLabels: readonly ClusterLabel[];
  /** KUBEPROOF_METRICS_MAX_CLUSTERS: distinct clusters kept in the per-cluster gauges. */
  maxClusters: number;
}

export const DEFAULT_METRICS_OPTIONS: MetricsOptions = { clusterLabels: [], maxClusters: 100 };

/** Seconds: a check takes from milliseconds (a read) to minutes (a slow rollout). */
const CHECK_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Seconds: a whole audit takes seconds to the deadline (300 s by default, more when budgets stretch). */
const AUDIT_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];

/**
 * The service's metrics. It is a RunObserver (the runner tells it about results, final statuses
 * and queue changes) and counts the cluster calls the suite reports through `apiRequest`.
 */
export class ServiceMetrics implements RunObserver {
  readonly #audits: Counter<'status'>;
  readonly #checks: Counter<'check' | 'status'>;
  readonly #checkSeconds: Histogram<'check'>;
  readonly #auditSeconds: Histogram<'status'>;
  readonly #queued: Gauge;
  readonly #running: Gauge;
  readonly #apiRequests: Counter<'verb' | 'outcome'>;
  readonly #webhookAttempts: Counter<'outcome'>;
  readonly #clusters: ClusterSeries | undefined;

  constructor(
    readonly registry: Registry,
    options: MetricsOptions = DEFAULT_METRICS_OPTIONS,
  ) {
    const registers = [registry];
    this.#audits = new Counter({
      name: 'kubeproof_audits_total',
      help: 'Audits that reached a final status, by that status (passed, failed, error, cancelled, interrupted).',
      labelNames: ['status'],
      registers,
    });
    this.#checks = new Counter({
      name: 'kubeproof_check_results_total',
      help: 'Check results, by check id and status (passed, failed, skipped, error).',
      labelNames: ['check', 'status'],
      registers,
    });
    this.#checkSeconds = new Histogram({
      name: 'kubeproof_check_duration_seconds',
      help: 'How long each check took, by check id.',
      labelNames: ['check'],
      buckets: CHECK_BUCKETS,
      registers,
    });
    this.#auditSeconds = new Histogram({
      name: 'kubeproof_audit_duration_seconds',
      help: 'How long audits ran, from start to final status (audits cancelled before they started are not observed).',
      labelNames: ['status'],
      buckets: AUDIT_BUCKETS,
      registers,
    });
    this.#queued = new Gauge({ name: 'kubeproof_audits_queued', help: 'Audits waiting for a slot.', registers });
    this.#running = new Gauge({ name: 'kubeproof_audits_running', help: 'Audits running now.', registers });
    this.#apiRequests = new Counter({
      name: 'kubeproof_cluster_api_requests_total',
      help: 'Calls kubeproof made to audited clusters, by API server verb (GET, LIST, WATCH, POST, PATCH, DELETE, CONNECT) and outcome (ok, error).',
      labelNames: ['verb', 'outcome'],
      registers,
    });
    this.#webhookAttempts = new Counter({
      name: 'kubeproof_webhook_attempts_total',
      help: 'Callback delivery attempts, by outcome (delivered, rejected, unreachable, refused, abandoned).',
      labelNames: ['outcome'],
      registers,
    });
    this.#clusters =
      options.clusterLabels.length > 0
        ? new ClusterSeries(registry, options.clusterLabels, options.maxClusters)
        : undefined;
  }

  /** The suite's ApiRequestObserver. */
  readonly apiRequest = (verb: ApiVerb, ok: boolean): void => {
    this.#apiRequests.inc({ verb, outcome: ok ? 'ok' : 'error' });
  };

  /** The webhook dispatcher's onAttempt. */
  readonly webhookAttempt = (outcome: AttemptOutcome): void => {
    this.#webhookAttempts.inc({ outcome });
  };

  checkFinished(_runId: string, result: CheckResult): void {
    this.#checks.inc({ check: result.id, status: result.status });
    this.#checkSeconds.observe({ check: result.id }, result.durationMs / 1000);
  }

  runFinished(run: AuditRunRow): void {
    this.#audits.inc({ status: run.status });
    const seconds =
      run.startedAt && run.finishedAt ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000 : undefined;
    if (seconds !== undefined) this.#auditSeconds.observe({ status: run.status }, seconds);
    this.#clusters?.record(run, seconds);
  }

  queueChanged(depth: { queued: number; running: number }): void {
    this.#queued.set(depth.queued);
    this.#running.set(depth.running);
  }
}
