/**
 * What kubeproof does with what a hostile "API server" answers: bodies are never echoed (a
 * Status message is kept, cut and cleaned), answers are read under caps while they stream, and a
 * 50 MB answer neither grows the process nor the database. Every server here is on 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { silentLogger } from '../../src/logger.js';
import { hasControlChars } from '../../src/untrusted-text.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';
import { createCertificateAuthority, issueServingCertificate } from '../sim/tls.js';
import { failureOf } from './support/failure-of.js';
import { type HostileServer, startHostileServer } from './support/hostile-server.js';

const SECRET = 'INTERNAL-SECRET-403: db_password=hunter2-7f3a';

let server: HostileServer | undefined;
let child: ChildProcess | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await harness?.close();
  harness = undefined;
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

function clusterFor(s: { url: string; caData: string }) {
  const kc = kubeconfigYaml({ server: s.url, cluster: { 'certificate-authority-data': s.caData } });
  return createClusterAccess(sanitizeKubeconfig(kc).kubeconfig);
}

/** Writes `megabytes` MiB of filler with back-pressure, then ends (if the client is still there). */
function streamMegabytes(res: ServerResponse, megabytes: number): void {
  const chunk = Buffer.alloc(1 << 20, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < megabytes && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

describe('upstream bodies are never echoed', () => {
  it.each([
    [403, 'text/html', `<html><body>${SECRET}</body></html>`],
    [500, 'text/plain', SECRET],
    [401, 'application/json', JSON.stringify({ error: SECRET })],
    [200, 'text/html', `<html>${SECRET}</html>`],
    [200, 'application/json', `{"major": "1", ${SECRET}`],
  ])('a %i %s answer is described by status, type and length only', async (status, type, body) => {
    server = await startHostileServer((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
    const cluster = clusterFor(server);
    try {
      const err = await failureOf(cluster.version({ timeoutMs: 5_000 }));
      expect(err.message).not.toContain('hunter2');
      expect(err.message).not.toContain('INTERNAL-SECRET');
      expect(err.message).toContain(type);
      expect(err.message).toContain(`${Buffer.byteLength(body)} bytes`);
      const logs = await failureOf(
        cluster.logs({ namespace: 'n', pod: 'p', container: 'c' }, { timeoutMs: 5_000 }),
      ).catch((e: unknown) => e);
      if (status >= 300) expect(String((logs as Error).message)).not.toContain('hunter2');
    } finally {
      cluster.close();
    }
  });

  it('keeps a Status message, cut to 512 bytes, without control characters', async () => {
    const message = `pods is forbidden\r\n# INJECTED HEADING\u001b[31m red ${'x'.repeat(5000)}`;
    server = await startHostileServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message,
          reason: 'Forbidden',
          code: 403,
        }),
      );
    });
    const cluster = clusterFor(server);
    try {
      const err = await failureOf(cluster.list('pods', { namespace: 'default' }, { timeoutMs: 5_000 }));
      expect(err.kind).toBe('forbidden');
      expect(err.message).toMatch(/^pods is forbidden/);
      expect(hasControlChars(err.message)).toBe(false);
      expect(Buffer.byteLength(err.message)).toBeLessThanOrEqual(512);
    } finally {
      cluster.close();
    }
  });

  it('stops reading an answer past its cap: "response too large", kubeproof could not tell', async () => {
    server = await startHostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // No Content-Length: the cap must hold while the bytes stream in.
      streamMegabytes(res, 12);
    });
    const cluster = clusterFor(server);
    try {
      const err = await failureOf(cluster.list('pods', {}, { timeoutMs: 10_000 }));
      expect(err.kind).toBe('too-large');
      expect(err.message).toMatch(/response too large/);
      const raw = await failureOf(cluster.logs({ namespace: 'n', pod: 'p', container: 'c' }, { timeoutMs: 10_000 }));
      expect(raw.kind).toBe('too-large');
    } finally {
      cluster.close();
    }
  });

  it('refuses an endless watch line without buffering it', async () => {
    server = await startHostileServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (!req.url?.includes('watch=true')) return void res.end('{"items":[],"metadata":{"resourceVersion":"1"}}');
      // One endless line: no newline in 10 MB.
      streamMegabytes(res, 10);
    });
    const cluster = clusterFor(server);
    try {
      const err = await failureOf(cluster.waitFor('pods', {}, () => undefined, { timeoutMs: 10_000 }));
      expect(err.kind).toBe('too-large');
    } finally {
      cluster.close();
    }
  });
});

describe('a 50 MB answer, through a whole audit', () => {
  it('raises RSS by less than 20 MB and stores only bounded evidence', async () => {
    const ca = await createCertificateAuthority('big');
    const serving = await issueServingCertificate(ca);
    const script = fileURLToPath(new URL('./support/big-body-server.mjs', import.meta.url));
    child = spawn(process.execPath, [script], {
      env: { ...process.env, TLS_CERT: serving.certPem, TLS_KEY: serving.keyPem, BIG_BODY_BYTES: String(50 << 20) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [first] = (await once(child.stdout!, 'data')) as [Buffer];
    const url = `https://127.0.0.1:${first.toString().trim()}`;
    const caData = Buffer.from(ca.certPem).toString('base64');

    const clock = { now: () => new Date() };
    harness = createHarness({
      executor: createSuiteExecutor({ clock, logger: silentLogger }),
      catalog: suiteCatalog(),
    });
    const kubeconfig = kubeconfigYaml({ server: url, cluster: { 'certificate-authority-data': caData } });
    // Warm-up: the first audit loads every module the path needs; the second is measured.
    await call(harness, 'POST', '/v1/audits', { json: { kubeconfig, checks: ['preflight.api'] } });
    await harness.runner.whenIdle();
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    const res = await call(harness, 'POST', '/v1/audits', { json: { kubeconfig } });
    expect(res.status, res.text).toBe(202);
    await harness.runner.whenIdle();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const grewMb = (peak - before) / (1 << 20);
    console.info(`50 MB upstream answer: RSS ${Math.round(before / (1 << 20))} MB → peak +${grewMb.toFixed(1)} MB`);
    expect(grewMb).toBeLessThan(20);

    const run = await call(harness, 'GET', `/v1/audits/${res.body.id}`);
    expect(run.body.status).toBe('error');
    const preflight = run.body.checks.find((c: { id: string }) => c.id === 'preflight.api');
    expect(preflight.status).toBe('error');
    expect(preflight.cause).toBe('unexpected');
    expect(preflight.summary).toMatch(/response too large/);
    // Everything stored about the run, results and events included, stays small.
    const events = await call(harness, 'GET', `/v1/audits/${res.body.id}/events`);
    expect(run.text.length + events.text.length).toBeLessThan(256 << 10);
  });
});
