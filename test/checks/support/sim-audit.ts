import { AuditOptions } from '../../../src/checks/options.js';
import type { SmokeTimings } from '../../../src/checks/smoke/shared/timings.js';
import { createSuiteExecutor, type SuiteDeps } from '../../../src/engine/suite/suite.js';
import type { AuditEvent, CheckResult, CleanupOutcome } from '../../../src/kernel/results.js';
import { sanitizeKubeconfig } from '../../../src/kube/kubeconfig/sanitize.js';
import type { SimCluster } from '../../sim/index.js';

/** Wait budgets small enough for the simulated cluster (its pods start in tens of ms). */
export const FAST_TIMINGS: Partial<SmokeTimings> = {
  rolloutMs: 2_500,
  serviceAccountMs: 1_000,
  endpointsMs: 1_000,
  selfHealMs: 2_500,
  scaleMs: 2_500,
  restartMs: 2_500,
  wgetTimeoutSec: 2,
  loadBalancingCalls: 12,
};

export interface AuditRun {
  results: Map<string, CheckResult>;
  events: AuditEvent[];
  cleanup: CleanupOutcome;
  started: string[];
}

export const silentLogger = { info() {}, warn() {}, error() {} };

/** Runs the suite executor directly against a simulated cluster, collecting every callback. */
export async function runAudit(
  sim: SimCluster,
  opts: {
    selection?: string[];
    runId?: string;
    signal?: AbortSignal;
    timings?: Partial<SmokeTimings>;
    /** The request's `options`, before parsing (defaults apply). */
    options?: Record<string, unknown>;
    /** Wraps or replaces the real cluster access (to make the API server answer otherwise). */
    connect?: SuiteDeps['connect'];
    onCheckFinished?: (r: CheckResult) => void;
  } = {},
): Promise<AuditRun> {
  const { kubeconfig } = sanitizeKubeconfig(sim.kubeconfig);
  const executor = createSuiteExecutor({
    clock: { now: () => new Date() },
    logger: silentLogger,
    timings: { ...FAST_TIMINGS, ...opts.timings },
    cleanupTimeoutMs: 2_000,
    ...(opts.connect ? { connect: opts.connect } : {}),
  });
  const results = new Map<string, CheckResult>();
  const events: AuditEvent[] = [];
  const started: string[] = [];
  const { cleanup } = await executor.execute({
    runId: opts.runId ?? `run${Math.random().toString(36).slice(2, 10)}`,
    credentials: kubeconfig,
    selection: opts.selection ?? ['smoke'],
    options: AuditOptions.parse(opts.options ?? {}),
    signal: opts.signal ?? new AbortController().signal,
    onClusterIdentity() {},
    onCheckStarted: (id) => started.push(id),
    onCheckFinished: (r) => {
      results.set(r.id, r);
      opts.onCheckFinished?.(r);
    },
    onEvent: (e) => events.push(e),
  });
  return { results, events, cleanup, started };
}

/** `{ id: status }` for assertion messages and vectors. */
export function statusVector(run: AuditRun): Record<string, string> {
  return Object.fromEntries([...run.results.values()].map((r) => [r.id, r.status]));
}

export function explain(run: AuditRun): string {
  return JSON.stringify(
    [...run.results.values()].map((r) => ({ id: r.id, status: r.status, summary: r.summary, blockedBy: r.blockedBy })),
    null,
    1,
  );
}

export function kubeproofNamespaces(sim: SimCluster): string[] {
  return sim.store
    .list('namespaces')
    .filter((ns) => ns.metadata.labels?.['app.kubernetes.io/managed-by'] === 'kubeproof')
    .map((ns) => ns.metadata.name);
}

/** Resolves when the sim's store satisfies the predicate (checked now and on every change). */
export function untilSim(
  sim: SimCluster,
  resource: string,
  predicate: (objects: ReturnType<SimCluster['store']['list']>) => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate(sim.store.list(resource))) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`sim ${resource} did not reach the expected state within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = sim.store.watch(resource, undefined, () => {
      if (!predicate(sim.store.list(resource))) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

export const nodeNotReady = (name: string) => (nodes: ReturnType<SimCluster['store']['list']>) =>
  nodes.some(
    (n) =>
      n.metadata.name === name &&
      n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status !== 'True'),
  );
