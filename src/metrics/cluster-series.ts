import { Counter, Gauge, type Registry } from 'prom-client';
import type { AuditRunRow } from '../db/schema/index.js';

/**
 * The labels an operator may put on the per-cluster gauges (KUBEPROOF_METRICS_CLUSTER_LABELS),
 * and the run field each one shows. One list: config validation and the gauges read it.
 */
export const CLUSTER_LABEL_FIELDS = {
  server: (run: AuditRunRow) => run.server,
  cluster: (run: AuditRunRow) => run.clusterName,
  context: (run: AuditRunRow) => run.contextName,
} as const;
export type ClusterLabel = keyof typeof CLUSTER_LABEL_FIELDS;
export const CLUSTER_LABELS = Object.keys(CLUSTER_LABEL_FIELDS) as ClusterLabel[];

/**
 * Last-run gauges per audited cluster, for at most `max` distinct clusters: the server URL comes
 * from whoever submits a kubeconfig, so an unbounded label would let any caller grow the scrape
 * without end. Past the cap the cluster audited longest ago is dropped (its series removed) and
 * `kubeproof_metrics_clusters_evicted_total` counts it.
 */
export class ClusterSeries {
  readonly #labels: readonly ClusterLabel[];
  readonly #max: number;
  /** Label values per cluster key, least recently audited first (Map keeps insertion order). */
  readonly #seen = new Map<string, Record<ClusterLabel, string>>();
  readonly #finished: Gauge<ClusterLabel>;
  readonly #passed: Gauge<ClusterLabel>;
  readonly #failedChecks: Gauge<ClusterLabel>;
  readonly #duration: Gauge<ClusterLabel>;
  readonly #evicted: Counter;

  constructor(registry: Registry, labels: readonly ClusterLabel[], max: number) {
    this.#labels = labels;
    this.#max = max;
    const common = { labelNames: labels, registers: [registry] };
    this.#finished = new Gauge({
      name: 'kubeproof_cluster_last_audit_timestamp_seconds',
      help: 'When the last audit of this cluster reached its final status (Unix time).',
      ...common,
    });
    this.#passed = new Gauge({
      name: 'kubeproof_cluster_last_audit_passed',
      help: '1 when the last audit of this cluster passed, 0 when it ended otherwise (failed, error, cancelled, interrupted).',
      ...common,
    });
    this.#failedChecks = new Gauge({
      name: 'kubeproof_cluster_last_audit_failed_checks',
      help: 'Checks the cluster failed in its last audit.',
      ...common,
    });
    this.#duration = new Gauge({
      name: 'kubeproof_cluster_last_audit_duration_seconds',
      help: 'How long the last audit of this cluster ran (absent when it never started).',
      ...common,
    });
    this.#evicted = new Counter({
      name: 'kubeproof_metrics_clusters_evicted_total',
      help: 'Clusters dropped from the per-cluster gauges because KUBEPROOF_METRICS_MAX_CLUSTERS distinct ones were already shown.',
      registers: [registry],
    });
  }

  /** Distinct clusters currently shown. */
  get size(): number {
    return this.#seen.size;
  }

  record(run: AuditRunRow, seconds: number | undefined): void {
    const values = Object.fromEntries(this.#labels.map((l) => [l, CLUSTER_LABEL_FIELDS[l](run)])) as Record<
      ClusterLabel,
      string
    >;
    const key = JSON.stringify(this.#labels.map((l) => values[l]));
    this.#seen.delete(key);
    this.#seen.set(key, values);
    while (this.#seen.size > this.#max) {
      const [oldest, labels] = this.#seen.entries().next().value as [string, Record<ClusterLabel, string>];
      this.#seen.delete(oldest);
      for (const gauge of [this.#finished, this.#passed, this.#failedChecks, this.#duration]) gauge.remove(labels);
      this.#evicted.inc();
    }
    this.#finished.set(values, (run.finishedAt?.getTime() ?? 0) / 1000);
    this.#passed.set(values, run.status === 'passed' ? 1 : 0);
    this.#failedChecks.set(values, run.failedCount);
    if (seconds === undefined) this.#duration.remove(values);
    else this.#duration.set(values, seconds);
  }
}
