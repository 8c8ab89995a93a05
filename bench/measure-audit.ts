/**
 * criticalPathRatio and apiRequestsPerAudit: one audit at a time on an idle service, per pod-start
 * latency; the simulated cluster's accounting, request log and timeline of that audit's namespace.
 */

import { namespaceFor } from '../src/workload/names.js';
import type { AccountingSnapshot, RequestLogEntry } from '../test/sim/server/accounting.js';
import type { TimelineEntry } from '../test/sim/timeline.js';
import { notPassed, type RunView, timedAudit } from './audits.js';
import { criticalPathOf } from './critical-path.js';
import type { IpcClient } from './ipc.js';
import { repeatedRequests } from './polling.js';
import { round } from './stats.js';

/** The web Deployment's replicas when the audit gives none (src/workload: options.replicas). */
const DEFAULT_REPLICAS = 3;

export interface AuditMeasurement {
  run: RunView;
  ratio: Record<string, number | string | object>;
  accounting: AccountingSnapshot & { log: RequestLogEntry[] };
}

export async function measureAudit(
  base: string,
  sim: IpcClient,
  kubeconfig: string,
  podStartMs: number,
  timeoutMs: number,
): Promise<AuditMeasurement> {
  await sim.ask('setLatencies', { podStartMs });
  await sim.ask('resetAccounting');
  const { run, wallMs } = await timedAudit(base, kubeconfig, timeoutMs);
  // The verdict may come before the namespace is gone (and its cleanup is recorded).
  const namespace = run.cleanup?.namespace ?? namespaceFor(run.id);
  // Its cost includes the cleanup, even when the verdict came before the namespace was gone.
  const gone = await sim.ask<boolean>('namespaceGone', { namespace, timeoutMs: 120_000 });
  if (!gone) throw new Error(`the namespace ${namespace} of audit ${run.id} was not deleted within 120 s`);
  const accounting = await sim.ask<AccountingSnapshot & { log: RequestLogEntry[] }>('accounting');
  const timeline = await sim.ask<TimelineEntry[]>('timeline', { namespace });
  const path = criticalPathOf(timeline, DEFAULT_REPLICAS);
  const ratio = {
    podStartMs,
    // A run that did not pass is reported, not hidden: its ratio says little.
    status: run.status,
    ...(run.status === 'passed' ? {} : { notPassed: notPassed(run) }),
    wallMs: round(wallMs, 0),
    criticalPathMs: round(path.criticalPathMs, 0),
    ratio: round(wallMs / path.criticalPathMs, 2),
    criticalPathParts: path.parts,
    // Where the wall time went: each check's start (ms after the run started) and duration.
    checks: Object.fromEntries(
      run.checks.map((c) => [
        c.id,
        [new Date(c.startedAt).getTime() - new Date(run.startedAt ?? run.createdAt).getTime(), c.durationMs],
      ]),
    ),
    runId: run.id,
  };
  return { run, ratio, accounting };
}

/** The apiRequestsPerAudit document from one audit's accounting. */
export function apiCost(accounting: AuditMeasurement['accounting']) {
  const { repeated, polling } = repeatedRequests(accounting.log);
  return {
    total: accounting.total,
    byVerb: Object.fromEntries(
      Object.entries(accounting.requests).map(([verb, byResource]) => [
        verb,
        Object.values(byResource).reduce((a, b) => a + b, 0),
      ]),
    ),
    byVerbAndResource: accounting.requests,
    watchesOpened: accounting.watchesOpened,
    tlsConnectionsOpened: accounting.tlsConnectionsOpened,
    tlsSessionsResumed: accounting.tlsSessionsResumed,
    repeatedRequests: repeated.slice(0, 15),
    pollingPatterns: polling,
  };
}
