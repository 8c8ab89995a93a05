/** The targets of issue 13, checked against one benchmark document: each with its figure and whether it is met. */

interface Doc {
  options: { podStartMs: number; slowPodStartMs: number };
  criticalPathRatio: Record<string, unknown>;
  apiRequestsPerAudit?: { total: number; pollingPatterns: unknown[] };
  reportReadRatio: { routes: Record<string, { ratio: number }> };
  concurrency: { audits: number; passed: number; eventLoopDelayMs: { p99: number }; peakRssMb: number };
  startup: { healthzMs: number; idleRssMb: number };
}

const target = (figure: number | string, goal: string, met: boolean) => ({ figure, goal, met });

export function targetsOf(doc: Doc) {
  const ratioAt = (ms: number) =>
    (doc.criticalPathRatio[`podStart${ms}ms`] as { ratio: number } | undefined)?.ratio ?? Number.NaN;
  const fast = ratioAt(doc.options.podStartMs);
  const slow = ratioAt(doc.options.slowPodStartMs);
  const reads = Object.values(doc.reportReadRatio.routes).map((r) => r.ratio);
  const worstRead = Math.min(...reads);
  const api = doc.apiRequestsPerAudit?.total ?? Number.NaN;
  const polling = doc.apiRequestsPerAudit?.pollingPatterns.length ?? 0;
  const c = doc.concurrency;
  return {
    criticalPathRatioSlow: target(slow, '≤ 1.05 at the slow pod start', slow <= 1.05),
    criticalPathRatioFast: target(fast, '≤ 1.10 at the default pod start', fast <= 1.1),
    apiRequestsPerAudit: target(api, '≤ 40, no polling', api <= 40 && polling === 0),
    reportReadRatio: target(worstRead, '≥ 0.8 (worst route)', worstRead >= 0.8),
    concurrencyPassed: target(`${c.passed}/${c.audits}`, 'all passed', c.passed === c.audits),
    eventLoopP99Ms: target(c.eventLoopDelayMs.p99, '< 50 ms', c.eventLoopDelayMs.p99 < 50),
    peakRssMb: target(c.peakRssMb, '< 200 MB', c.peakRssMb < 200),
    startupMs: target(doc.startup.healthzMs, '< 1000 ms', doc.startup.healthzMs < 1000),
    idleRssMb: target(doc.startup.idleRssMb, '< 120 MB', doc.startup.idleRssMb < 120),
  };
}
