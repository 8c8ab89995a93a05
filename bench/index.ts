/**
 * `npm run bench`: how fast an audit is, what it costs the API server, how fast reports are read,
 * how the service holds up under many audits, and how fast it starts — the simulated cluster and
 * the service each in their own process, every socket on 127.0.0.1. Bounded (`--timeout-s`);
 * prints one JSON document and writes it to `--out`. `--help` lists the flags.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cleanupRecorded } from './audits.js';
import { apiCost, measureAudit } from './measure-audit.js';
import { measureConcurrency } from './measure-concurrency.js';
import { measureList, measureReads, storeRuns } from './measure-reads.js';
import { type BenchOptions, BenchUsageError, parseBenchOptions, USAGE } from './options.js';
import {
  ROOT,
  rssOf,
  type ServiceProcess,
  type SimProcess,
  startServiceProcess,
  startSimProcess,
  stopChild,
} from './processes.js';
import { mb, round } from './stats.js';
import { targetsOf } from './targets.js';

let options: BenchOptions;
try {
  const parsed = parseBenchOptions(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  options = parsed;
} catch (err) {
  if (!(err instanceof BenchUsageError)) throw err;
  process.stderr.write(`npm run bench: ${err.message}\n\n${USAGE}\n`);
  process.exit(2);
}

const children: Array<SimProcess | ServiceProcess> = [];
const workdir = mkdtempSync(join(tmpdir(), 'kubeproof-bench-'));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function shutdown(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => stopChild(c.child)));
  rmSync(workdir, { recursive: true, force: true });
}

const bound = setTimeout(() => {
  process.stderr.write(`npm run bench: not done within --timeout-s ${options.timeoutSeconds}; stopped\n`);
  void shutdown().finally(() => process.exit(1));
}, options.timeoutSeconds * 1000);
bound.unref();

async function main(): Promise<void> {
  const began = performance.now();
  if (options.service === 'dist' && options.build) {
    log('building dist/ (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const auditTimeoutMs = 180_000;

  log('startup: the service as npm start runs it, idle');
  const cold = await startServiceProcess({ mode: options.service, dbPath: join(workdir, 'startup.db'), probe: false });
  await new Promise((r) => setTimeout(r, 1000));
  const startup = { healthzMs: round(cold.healthzMs, 0), idleRssMb: mb(rssOf(cold.child.pid)) };
  await stopChild(cold.child);

  log('starting the simulated cluster and the service');
  const sim = await startSimProcess({
    podStartMs: options.podStartMs,
    endpointDelayMs: options.endpointDelayMs,
    apiLatencyMs: options.apiLatencyMs,
    dnsLatencyMs: options.dnsLatencyMs,
  });
  children.push(sim);
  const dbPath = join(workdir, 'bench.db');
  const service = await startServiceProcess({
    mode: options.service,
    dbPath,
    probe: true,
    env: {
      KUBEPROOF_MAX_CONCURRENT_AUDITS: String(options.serviceConcurrency),
      KUBEPROOF_MAX_EVENT_STREAMS_PER_TENANT: '1000',
      // Every audit of the concurrency phase holds its event stream open and the benchmark is one
      // client address: past the default (64 per address) the service resets the extra connections.
      KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT: String(Math.max(64, 2 * options.concurrent + 16)),
      KUBEPROOF_LOG_LEVEL: 'warn',
    },
  });
  children.push(service);
  const probe = service.ipc!;

  log('warm-up audit');
  await measureAudit(service.base, sim.ipc, sim.kubeconfig, options.podStartMs, auditTimeoutMs);
  const criticalPathRatio: Record<string, unknown> = {};
  let cost: ReturnType<typeof apiCost> | undefined;
  let finishedRunId = '';
  const measuredRunIds: string[] = [];
  for (const podStartMs of [options.podStartMs, options.slowPodStartMs]) {
    log(`one audit at ${podStartMs} ms pod start`);
    const m = await measureAudit(service.base, sim.ipc, sim.kubeconfig, podStartMs, auditTimeoutMs);
    criticalPathRatio[`podStart${podStartMs}ms`] = m.ratio;
    measuredRunIds.push(m.run.id);
    if (!cost) {
      cost = apiCost(m.accounting);
      finishedRunId = m.run.id;
    }
  }
  await sim.ipc.ask('setLatencies', { podStartMs: options.podStartMs });

  // Each measured audit's cleanup is recorded shortly after its namespace is gone: the reads start after it.
  await Promise.all(measuredRunIds.map((id) => cleanupRecorded(service.base, id, 60_000)));
  log('report reads against the same bytes from memory');
  const routes = await measureReads(service.base, probe, finishedRunId, options.reads, options.readConnections);
  log(`storing ${options.storedRuns} runs, timing the list route`);
  storeRuns(dbPath, finishedRunId, options.storedRuns);
  const list = await measureList(service.base, options.storedRuns);

  log(`${options.concurrent} audits at once (service limit ${options.serviceConcurrency})`);
  const concurrency = await measureConcurrency(
    service.base,
    probe,
    sim.ipc,
    sim.kubeconfig,
    options.concurrent,
    options.serviceConcurrency,
    auditTimeoutMs + options.timeoutSeconds * 1000,
  );

  const document = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    options,
    criticalPathRatio,
    apiRequestsPerAudit: cost,
    reportReadRatio: { routes, list },
    concurrency,
    startup,
    benchSeconds: 0,
    targets: {} as ReturnType<typeof targetsOf>,
  };
  document.benchSeconds = round((performance.now() - began) / 1000, 0);
  document.targets = targetsOf(document);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const out = resolve(ROOT, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  process.stdout.write(text);
  log(`written to ${out}`);
}

/** The message and, for fetch's "fetch failed", what lies under it (ECONNRESET, a timeout …). */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = cause && 'code' in cause ? ` ${String(cause.code)}` : '';
  return cause ? `${err.message} (${cause.message}${code})` : err.message;
}

main().then(
  () => shutdown().then(() => process.exit(0)),
  (err: unknown) => {
    process.stderr.write(`npm run bench: ${describeError(err)}\n`);
    void shutdown().finally(() => process.exit(1));
  },
);
