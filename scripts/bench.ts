/**
 * `npm run bench`: how fast an audit is and what it costs the API server, measured against the
 * simulated cluster on loopback (bounded: a fixed number of audits and requests, then it stops).
 *
 *   npm run bench -- --audits 3 --concurrent 4 --reads 300
 *
 * Reports wall-clock per audit (p50/max), per-check durations, Kubernetes API requests and watches
 * per audit (from the simulation's accounting), concurrent throughput, and report-read latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { startSimCluster } from '../test/sim/index.js';
import { scriptArgs } from './script-args.js';

const values = scriptArgs(
  `Usage: npm run bench -- [--audits N] [--concurrent N] [--reads N]

Measures audits against the simulated cluster (all traffic on loopback) and prints the figures.
  --audits N      sequential audits to time (default 3)
  --concurrent N  audits started at once (default 4)
  --reads N       report reads to time (default 300)`,
  {
    audits: { type: 'string', default: '3' },
    concurrent: { type: 'string', default: '4' },
    reads: { type: 'string', default: '300' },
  },
);
const count = (flag: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${flag} must be a whole number of at least 1, got "${raw}" (see --help)\n`);
    process.exit(2);
  }
  return n;
};
const sequentialAudits = count('audits', values.audits);
const concurrentAudits = count('concurrent', values.concurrent);
const reads = count('reads', values.reads);

interface CheckRow {
  id: string;
  status: string;
  durationMs: number | null;
}
interface RunBody {
  status: string;
  checks: CheckRow[];
}

/** Nearest-rank percentile of an ascending list. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const sortNumbers = (xs: number[]) => [...xs].sort((a, b) => a - b);
const ms = (n: number) => `${n.toFixed(0)} ms`;

const workdir = mkdtempSync(join(tmpdir(), 'kubeproof-bench-'));
const sim = await startSimCluster({ encryption: { provider: 'aescbc', keyName: 'key1' } });
const service = await startServer(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    KUBEPROOF_DB: join(workdir, 'bench.db'),
    KUBEPROOF_MAX_CONCURRENT_AUDITS: String(concurrentAudits),
  }),
  { writeLog: () => undefined },
);
const base = `http://127.0.0.1:${service.port}`;

async function submit(): Promise<string> {
  const res = await fetch(`${base}/v1/audits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kubeconfig: sim.kubeconfig, checks: ['smoke', 'encryption'] }),
  });
  if (res.status !== 202) throw new Error(`POST /v1/audits answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Follows the run's event stream (no polling) until it ends, then reads the final run. */
async function finished(id: string): Promise<RunBody> {
  const stream = await fetch(`${base}/v1/audits/${id}/events`, { headers: { accept: 'text/event-stream' } });
  await stream.text();
  return (await (await fetch(`${base}/v1/audits/${id}`)).json()) as RunBody;
}

async function timedAudit(): Promise<{ wallMs: number; run: RunBody }> {
  const started = performance.now();
  const run = await finished(await submit());
  return { wallMs: performance.now() - started, run };
}

try {
  const perCheck = new Map<string, number[]>();
  const wall: number[] = [];
  const requests: number[] = [];
  const watches: number[] = [];
  for (let i = 0; i < sequentialAudits; i++) {
    const before = sim.accounting();
    const { wallMs, run } = await timedAudit();
    const after = sim.accounting();
    if (run.status !== 'passed') throw new Error(`audit ${i + 1} ended ${run.status}: ${JSON.stringify(run.checks)}`);
    wall.push(wallMs);
    requests.push(after.total - before.total);
    watches.push(after.watchesOpened - before.watchesOpened);
    for (const check of run.checks) {
      const list = perCheck.get(check.id) ?? [];
      list.push(check.durationMs ?? 0);
      perCheck.set(check.id, list);
    }
  }
  const sortedWall = sortNumbers(wall);
  console.log(`\nSequential audits (smoke + encryption, healthy simulated cluster): ${sequentialAudits}`);
  console.log(`  wall clock    p50 ${ms(percentile(sortedWall, 50))}   max ${ms(sortedWall.at(-1) ?? 0)}`);
  console.log(`  API requests  per audit ${requests.join(', ')}   watches opened ${watches.join(', ')}`);
  console.log('  per check (p50):');
  for (const [id, durations] of perCheck)
    console.log(`    ${id.padEnd(24)} ${ms(percentile(sortNumbers(durations), 50))}`);

  const concurrentStart = performance.now();
  const concurrent = await Promise.all(Array.from({ length: concurrentAudits }, () => timedAudit()));
  const concurrentWall = performance.now() - concurrentStart;
  const statuses = concurrent.map((c) => c.run.status).join(', ');
  console.log(
    `\nConcurrent audits: ${concurrentAudits} at once → all done in ${ms(concurrentWall)} (statuses: ${statuses})`,
  );

  const listLatencies: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/v1/audits?limit=20`);
    await res.arrayBuffer();
    listLatencies.push(performance.now() - t);
  }
  const sortedReads = sortNumbers(listLatencies);
  console.log(
    `\nGET /v1/audits?limit=20 × ${reads}: p50 ${percentile(sortedReads, 50).toFixed(2)} ms, p95 ${percentile(sortedReads, 95).toFixed(2)} ms`,
  );
} finally {
  await service.stop();
  await sim.stop();
  rmSync(workdir, { recursive: true, force: true });
}
