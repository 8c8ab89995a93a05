/**
 * concurrency: N audits started at once against one simulated cluster. The service's probe gives
 * its event-loop delay and peak RSS over the phase; both processes their CPU seconds; every run
 * its queue wait (createdAt → startedAt).
 */
import { finishedRun, type RunView, submitAudit } from './audits.js';
import type { IpcClient } from './ipc.js';
import { mb, percentile, round } from './stats.js';

interface ProbeStats {
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  cpuSeconds: number;
  rss: number;
  peakRss: number;
}
interface SimUsage {
  cpuSeconds: number;
  rss: number;
  peakRss: number;
}

export async function measureConcurrency(
  base: string,
  probe: IpcClient,
  sim: IpcClient,
  kubeconfig: string,
  audits: number,
  serviceConcurrency: number,
  timeoutMs: number,
) {
  await probe.ask('reset');
  await sim.ask('resetPeak');
  const serviceBefore = await probe.ask<ProbeStats>('stats');
  const simBefore = await sim.ask<SimUsage>('usage');
  const began = performance.now();
  const ids = await Promise.all(Array.from({ length: audits }, () => submitAudit(base, kubeconfig)));
  const runs: RunView[] = await Promise.all(ids.map((id) => finishedRun(base, id, timeoutMs)));
  const wallMs = performance.now() - began;
  const service = await probe.ask<ProbeStats>('stats');
  const simAfter = await sim.ask<SimUsage>('usage');
  const statuses: Record<string, number> = {};
  for (const run of runs) statuses[run.status] = (statuses[run.status] ?? 0) + 1;
  const queueWaits = runs
    .filter((r) => r.startedAt)
    .map((r) => new Date(r.startedAt!).getTime() - new Date(r.createdAt).getTime());
  const errors = [
    ...new Set(
      runs.flatMap((r) =>
        r.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.summary.slice(0, 120)}`),
      ),
    ),
  ].slice(0, 5);
  return {
    audits,
    serviceConcurrency,
    passed: statuses.passed ?? 0,
    statuses,
    ...(errors.length ? { sampleErrors: errors } : {}),
    wallMs: round(wallMs, 0),
    eventLoopDelayMs: service.eventLoopDelayMs,
    peakRssMb: mb(service.peakRss),
    cpuSeconds: {
      service: round(service.cpuSeconds - serviceBefore.cpuSeconds, 1),
      cluster: round(simAfter.cpuSeconds - simBefore.cpuSeconds, 1),
    },
    clusterPeakRssMb: mb(simAfter.peakRss),
    queueWaitMs: { p50: round(percentile(queueWaits, 50), 0), max: round(Math.max(0, ...queueWaits), 0) },
  };
}
