/**
 * `npm run bench` in a tiny configuration: it runs end to end (simulated cluster and service in
 * their own processes, loopback only), stops by itself and prints a document with every key the
 * README and issue 13 name. Nothing here times anything: the figures are only checked to exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const bench = (args: string[], timeout = 280_000) =>
  spawnSync(tsx, ['bench/index.ts', ...args], { cwd: root, encoding: 'utf8', timeout });

const dir = mkdtempSync(join(tmpdir(), 'kubeproof-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('answers --help and refuses a bad flag or value with a sentence (exit 2, no stack trace)', () => {
    const help = bench(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--concurrent N/);
    expect(help.stdout).toMatch(/--pod-start-ms N/);
    for (const [args, message] of [
      [['--concurent', '3'], /Unknown option '--concurent'/],
      [['--concurrent', 'many'], /--concurrent must be a whole number from 1 to 1000, got "many"/],
      [['--service', 'docker'], /--service must be dist or source/],
    ] as const) {
      const bad = bench([...args]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('runs a tiny configuration to the end and prints every figure, also to --out', { timeout: 300_000 }, () => {
    const out = join(dir, 'bench.json');
    const run = bench([
      '--service=source',
      '--pod-start-ms=100',
      '--slow-pod-start-ms=200',
      '--endpoint-delay-ms=20',
      '--api-latency-ms=0',
      '--dns-latency-ms=1',
      '--concurrent=2',
      '--stored-runs=60',
      '--reads=10',
      '--read-connections=2',
      `--out=${out}`,
    ]);
    expect(run.stderr).not.toMatch(/npm run bench: /);
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(doc);
    for (const at of ['podStart100ms', 'podStart200ms']) {
      expect(doc.criticalPathRatio[at]).toMatchObject({
        wallMs: expect.any(Number),
        criticalPathMs: expect.any(Number),
        ratio: expect.any(Number),
      });
      expect(doc.criticalPathRatio[at].criticalPathMs).toBeGreaterThan(0);
    }
    expect(doc.apiRequestsPerAudit).toMatchObject({
      total: expect.any(Number),
      byVerb: expect.any(Object),
      byVerbAndResource: expect.any(Object),
      watchesOpened: expect.any(Number),
      tlsConnectionsOpened: expect.any(Number),
      tlsSessionsResumed: expect.any(Number),
      repeatedRequests: expect.any(Array),
      pollingPatterns: expect.any(Array),
    });
    expect(doc.apiRequestsPerAudit.total).toBeGreaterThan(0);
    expect(Object.keys(doc.reportReadRatio.routes)).toEqual([
      'GET /v1/audits/{id}',
      'GET /v1/audits/{id}/report?format=json',
      'GET /v1/audits/{id}/report?format=junit',
      'GET /v1/audits/{id}/report?format=markdown',
    ]);
    for (const r of Object.values(doc.reportReadRatio.routes))
      expect(r).toMatchObject({
        requestsPerSecond: expect.any(Number),
        sameBytesFromMemory: expect.any(Number),
        ratio: expect.any(Number),
      });
    expect(doc.reportReadRatio.list).toMatchObject({
      storedRuns: 60,
      firstPageMs: { p50: expect.any(Number), p95: expect.any(Number) },
      deepCursorPageMs: { p50: expect.any(Number), p95: expect.any(Number), depth: expect.any(Number) },
    });
    expect(doc.reportReadRatio.list.deepCursorPageMs.depth).toBeGreaterThan(0);
    expect(doc.concurrency).toMatchObject({
      audits: 2,
      passed: 2,
      eventLoopDelayMs: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
      peakRssMb: expect.any(Number),
      cpuSeconds: { service: expect.any(Number), cluster: expect.any(Number) },
      queueWaitMs: { p50: expect.any(Number), max: expect.any(Number) },
    });
    expect(doc.startup).toMatchObject({ healthzMs: expect.any(Number), idleRssMb: expect.any(Number) });
    for (const t of Object.values(doc.targets))
      expect(t).toMatchObject({ goal: expect.any(String), met: expect.any(Boolean) });
  });
});
