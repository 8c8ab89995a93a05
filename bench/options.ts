/**
 * `npm run bench` flags: one table, from which parsing, validation and `--help` are derived.
 * A bad flag or value is a one-line message plus the usage, exit 2 — never a stack trace.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  podStartMs: number;
  slowPodStartMs: number;
  endpointDelayMs: number;
  apiLatencyMs: number;
  dnsLatencyMs: number;
  concurrent: number;
  serviceConcurrency: number;
  storedRuns: number;
  reads: number;
  readConnections: number;
  timeoutSeconds: number;
  out: string;
  service: 'dist' | 'source';
  build: boolean;
}

interface Flag {
  key: keyof BenchOptions;
  name: string;
  help: string;
  /** Smallest whole number allowed (numeric flags). */
  min?: number;
  max?: number;
}

export const DEFAULTS: BenchOptions = {
  podStartMs: 1500,
  slowPodStartMs: 5000,
  endpointDelayMs: 300,
  apiLatencyMs: 5,
  dnsLatencyMs: 2,
  // The issue's figure: 100 audits of one cluster at once (about 110 s at the per-cluster cap of 8).
  concurrent: 100,
  serviceConcurrency: 64,
  storedRuns: 10_000,
  reads: 300,
  readConnections: 8,
  timeoutSeconds: 290,
  out: 'bench/results/latest.json',
  service: 'dist',
  build: true,
};

const NUMERIC: Flag[] = [
  { key: 'podStartMs', name: 'pod-start-ms', help: 'time a kubelet takes to start a pod', min: 0, max: 120_000 },
  {
    key: 'slowPodStartMs',
    name: 'slow-pod-start-ms',
    help: 'the second pod start criticalPathRatio is measured at',
    min: 0,
    max: 120_000,
  },
  {
    key: 'endpointDelayMs',
    name: 'endpoint-delay-ms',
    help: 'Ready pod → address published in its EndpointSlice',
    min: 0,
    max: 60_000,
  },
  { key: 'apiLatencyMs', name: 'api-latency-ms', help: 'added to every API request', min: 0, max: 10_000 },
  { key: 'dnsLatencyMs', name: 'dns-latency-ms', help: 'added to every DNS answer', min: 0, max: 10_000 },
  {
    key: 'concurrent',
    name: 'concurrent',
    help: 'audits started at once against one simulated cluster',
    min: 1,
    max: 1000,
  },
  {
    key: 'serviceConcurrency',
    name: 'service-concurrency',
    help: 'KUBEPROOF_MAX_CONCURRENT_AUDITS of the service during that phase',
    min: 1,
    max: 64,
  },
  {
    key: 'storedRuns',
    name: 'stored-runs',
    help: 'runs stored before the list route is timed',
    min: 1,
    max: 1_000_000,
  },
  { key: 'reads', name: 'reads', help: 'requests per route and round of the read comparison', min: 10, max: 1_000_000 },
  {
    key: 'readConnections',
    name: 'read-connections',
    help: 'parallel connections of the read comparison',
    min: 1,
    max: 256,
  },
  {
    key: 'timeoutSeconds',
    name: 'timeout-s',
    help: 'the whole benchmark stops with an error past this',
    min: 10,
    max: 3600,
  },
];

export const USAGE = `Usage: npm run bench -- [options]

Runs the simulated cluster and the service (compiled, as \`npm start\` runs it) in their own
processes, on 127.0.0.1 only, measures audits, API cost, report reads, concurrent audits and
start-up, prints one JSON document and writes it to --out. Bounded: stops by itself.

Options:
${NUMERIC.map((f) => `  --${`${f.name} N`.padEnd(24)}${f.help} (default ${DEFAULTS[f.key]})`).join('\n')}
  --out PATH                where the JSON goes too (default ${DEFAULTS.out})
  --service dist|source     dist: node dist/server.js, built first; source: the TypeScript through tsx (default dist)
  --no-build                with --service dist: use dist/ as it is
  --help, -h                this text

Environment: KUBEPROOF_BENCH_SERVICE_NODE_FLAGS adds node flags to the service process
(e.g. "--cpu-prof --cpu-prof-dir=/tmp/kubeproof-prof" to profile it).`;

export class BenchUsageError extends Error {}

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const spec = {
    ...Object.fromEntries(NUMERIC.map((f) => [f.name, { type: 'string' as const }])),
    out: { type: 'string' as const },
    service: { type: 'string' as const },
    'no-build': { type: 'boolean' as const },
    help: { type: 'boolean' as const, short: 'h' },
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new BenchUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const options: BenchOptions = { ...DEFAULTS };
  for (const flag of NUMERIC) {
    const raw = values[flag.name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(String(raw)) || n < (flag.min ?? 0) || n > (flag.max ?? Number.MAX_SAFE_INTEGER)) {
      throw new BenchUsageError(
        `--${flag.name} must be a whole number from ${flag.min ?? 0} to ${flag.max}, got "${raw}"`,
      );
    }
    (options[flag.key] as number) = n;
  }
  if (typeof values.out === 'string') {
    if (values.out.trim() === '') throw new BenchUsageError('--out needs a path');
    options.out = values.out;
  }
  if (values.service !== undefined) {
    if (values.service !== 'dist' && values.service !== 'source')
      throw new BenchUsageError(`--service must be dist or source, got "${values.service}"`);
    options.service = values.service;
  }
  if (values['no-build']) options.build = false;
  return options;
}
