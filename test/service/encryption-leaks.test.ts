/**
 * secrets.encryption end to end through the HTTP API: a real etcd with TLS client-certificate
 * auth behind the simulated cluster (aescbc, key1), the service on a SQLite file. The verdict
 * must name the provider and key, and nothing kubeproof keeps or prints (database files, log
 * lines, reports, events) may contain the etcd client key, the kubeconfig token or the
 * marker value the check wrote.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EncryptionStrategy, EtcdAccess } from '../../src/checks/options.js';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { createLogger } from '../../src/logger.js';
import { FAST_TIMINGS } from '../checks/support/sim-audit.js';
import { encryptionSecrets, findLeaks } from '../encryption/leaks.js';
import { etcdAccessOf } from '../encryption/run-check.js';
import { type EtcdHandle, startEtcd } from '../sim/etcd-harness.js';
import { type FaultSpec, type SimCluster, startSimCluster } from '../sim/index.js';
import { createAuthority } from '../sim/storage/pki.js';
import { call, createHarness, type Harness } from './harness.js';

let etcd: EtcdHandle;
let sim: SimCluster | undefined;
let harness: Harness | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  etcd = await startEtcd({ tls: true });
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await sim?.stop();
  sim = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await etcd?.stop();
});

interface AuditThroughService {
  /** The secrets.encryption result as GET /v1/audits/{id} shows it. */
  check: { status: string; summary: string; evidence: Record<string, unknown> };
  preflight: { status: string; summary: string; evidence: Record<string, unknown> };
  /** Everything kubeproof kept or printed, by where it was found. */
  outputs: Record<string, string | Buffer>;
  /** The marker (and any other Secret value) the simulated apiserver stored. */
  written: Buffer[];
  token: string;
}

/** Reads every file of the database directory (db, -wal, -shm), keyed by moment and name. */
function databaseFiles(dir: string, moment: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(dir).map((name) => [`${moment} ${name}`, readFileSync(join(dir, name))]));
}

async function auditThroughService(
  strategy: EncryptionStrategy,
  etcdAccess: EtcdAccess,
  faults: FaultSpec[] = [],
): Promise<AuditThroughService> {
  const cluster = await startSimCluster({
    encryption: { provider: 'aescbc', keyName: 'key1' },
    etcd: { endpoints: etcd.endpoints, ca: etcd.caPem, cert: etcd.certPem, key: etcd.keyPem },
    faults,
    latencies: { podStartMs: 5, endpointDelayMs: 5 },
  });
  sim = cluster;
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-encryption-leaks-'));
  dirs.push(dir);
  const executorLines: string[] = [];
  const service = createHarness({
    dbPath: join(dir, 'kubeproof.db'),
    executor: createSuiteExecutor({
      clock: { now: () => new Date() },
      logger: createLogger({ write: (line) => executorLines.push(line) }),
      timings: FAST_TIMINGS,
      cleanupTimeoutMs: 5_000,
    }),
    catalog: suiteCatalog(),
  });
  harness = service;

  const created = await call(service, 'POST', '/v1/audits', {
    json: {
      kubeconfig: cluster.kubeconfig,
      checks: ['encryption'],
      options: { encryption: { strategy, etcd: etcdAccess } },
    },
  });
  expect(created.status, created.text).toBe(202);
  await service.runner.whenIdle();
  const run = await call(service, 'GET', created.body.links.self);
  const outputs: Record<string, string | Buffer> = { 'GET /v1/audits/{id}': run.text };
  for (const format of ['json', 'markdown', 'junit']) {
    const report = await call(service, 'GET', `${created.body.links.report}?format=${format}`);
    expect(report.status, report.text).toBe(200);
    outputs[`${format} report`] = report.text;
  }
  const events = await call(service, 'GET', created.body.links.events);
  expect(events.status, events.text).toBe(200);
  outputs.events = events.text;
  const list = await call(service, 'GET', '/v1/audits');
  outputs['GET /v1/audits'] = list.text;
  Object.assign(outputs, databaseFiles(dir, 'while open:'));
  await service.close();
  harness = undefined;
  Object.assign(outputs, databaseFiles(dir, 'after close:'));
  outputs['service log'] = service.logs.join('');
  outputs['executor log'] = executorLines.join('');

  const result = (id: string) => run.body.checks.find((c: { id: string }) => c.id === id);
  return {
    check: result('secrets.encryption'),
    preflight: result('preflight.api'),
    outputs,
    written: cluster.secretStorage.writtenSecretValues(),
    token: cluster.token,
  };
}

/** The PEM key whole, each base64 line, and slices of its base64 body and of the PEM's own base64. */
function keyNeedles(keyPem: string): string[] {
  const body = keyPem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  const pemBase64 = Buffer.from(keyPem).toString('base64');
  return [...encryptionSecrets({ keyPem }, []), body.slice(8, 48), pemBase64.slice(40, 80)];
}

function leaksIn(outputs: Record<string, string | Buffer>, needles: string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [where, content] of Object.entries(outputs)) {
    const leaks = findLeaks(content, needles);
    if (leaks.length) found[where] = leaks;
  }
  return found;
}

describe('secrets.encryption through the HTTP API, with a real etcd', () => {
  it('names aescbc and key1 from etcd-direct, and keeps neither the etcd key, the token nor the marker anywhere', async () => {
    const audit = await auditThroughService('etcd-direct', etcdAccessOf(etcd));
    const body = JSON.stringify(audit.check, null, 1);
    expect(audit.check?.status, body).toBe('passed');
    expect(audit.check.evidence, body).toMatchObject({ strategy: 'etcd-direct', provider: 'aescbc', keyName: 'key1' });
    expect(audit.check.summary, body).toContain('aescbc (key key1)');

    expect(audit.written.length, 'the check wrote its marker Secret through the apiserver').toBeGreaterThan(0);
    expect(Object.keys(audit.outputs).some((k) => k.endsWith('kubeproof.db'))).toBe(true);
    const needles = [...keyNeedles(etcd.keyPem), audit.token, ...encryptionSecrets(undefined, audit.written)];
    expect(leaksIn(audit.outputs, needles)).toEqual({});
    // The search itself must be able to find each kind of secret.
    const probes = {
      key: etcd.keyPem.split('\n')[2] ?? '',
      token: `Bearer ${audit.token}`,
      marker: audit.written[0] ?? '',
    };
    expect(Object.keys(leaksIn(probes, needles))).toEqual(['key', 'token', 'marker']);
  });

  it('falls back from a wrong etcd key to etcd-exec in auto mode, and never keeps the wrong key', async () => {
    const wrongKey = (await (await createAuthority('not-etcd')).issue({ commonName: 'x', usage: 'client' })).keyPem;
    const audit = await auditThroughService('auto', { ...etcdAccessOf(etcd), keyData: wrongKey });
    const body = JSON.stringify(audit.check, null, 1);
    expect(audit.check?.status, body).toBe('passed');
    expect(audit.check.evidence, body).toMatchObject({ strategy: 'etcd-exec', provider: 'aescbc', keyName: 'key1' });
    expect(audit.check.evidence.attempts, body).toContainEqual(
      expect.objectContaining({ strategy: 'etcd-direct', outcome: 'unavailable' }),
    );
    const needles = [
      ...keyNeedles(wrongKey),
      ...keyNeedles(etcd.keyPem),
      audit.token,
      ...encryptionSecrets(undefined, audit.written),
    ];
    expect(leaksIn(audit.outputs, needles)).toEqual({});
  });

  it('only warns in preflight when GET /metrics is forbidden, and still runs the encryption check', async () => {
    const audit = await auditThroughService('etcd-direct', etcdAccessOf(etcd), ['rbac-missing:get:/metrics']);
    const body = JSON.stringify({ preflight: audit.preflight, check: audit.check }, null, 1);
    expect(audit.preflight.status, body).toBe('passed');
    expect(audit.preflight.evidence.optionalPermissionsMissing, body).toEqual([
      expect.stringContaining('cannot get path /metrics (optional: enables the apiserver-metrics strategy'),
    ]);
    expect(audit.check.status, body).toBe('passed');
  });
});
