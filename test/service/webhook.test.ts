import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { AuditStore } from '../../src/db/store.js';
import { type Connector, OutboundPolicy, parseAllowedTargets } from '../../src/net/outbound-policy.js';
import { verifySignature } from '../../src/webhook/signature.js';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml, TEST_TOKEN } from './kubeconfigs.js';

const SECRET = 'ci-callback-secret-4b7e19d2a0c3';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

/** A webhook receiver on loopback answering the given statuses in turn (the last one repeats). */
async function receiver(statuses: number[]) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
      res.statusCode = statuses[Math.min(deliveries.length - 1, statuses.length - 1)] ?? 200;
      res.end('receiver body that must never be stored');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return { deliveries, url: `http://127.0.0.1:${port}/hooks/kubeproof?team=a`, port };
}

/** Records every resolve and connect; connects only to loopback, through the real socket layer. */
function dialRecorder(answers: Record<string, string[]> = {}) {
  const resolved: string[] = [];
  const dialled: string[] = [];
  const system = new OutboundPolicy({ allowLoopback: true }).connector;
  const connector: Connector = {
    async resolve(host) {
      resolved.push(host);
      const next = answers[host]?.length && answers[host].length > 1 ? answers[host].shift() : answers[host]?.[0];
      return next ? [{ address: next, family: next.includes(':') ? 6 : 4 }] : [];
    },
    connect(options) {
      dialled.push(`${options.host}:${options.port}`);
      if (!options.host.startsWith('127.')) throw new Error(`test bug: dialled ${options.host}`);
      return system.connect(options);
    },
    connectPlain(options) {
      dialled.push(`${options.host}:${options.port}`);
      if (!options.host.startsWith('127.')) throw new Error(`test bug: dialled ${options.host}`);
      return system.connectPlain!(options);
    },
  };
  return { connector, resolved, dialled };
}

const servers: Server[] = [];
const harnesses: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function harness(options: Parameters<typeof createHarness>[0] = {}): Harness {
  const h = createHarness({
    callbackSecrets: { ci: SECRET },
    webhookRetry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
    ...options,
  });
  harnesses.push(h);
  return h;
}

async function settle(h: Harness) {
  await h.runner.whenIdle();
  await h.webhooks.whenIdle();
}

const hmac = (t: string, body: string) => createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');

describe('webhook: callbackUrl on POST /v1/audits', () => {
  it('POSTs the signed run summary when the run ends, retries a receiver that fails twice, and records every attempt', async () => {
    const hook = await receiver([503, 502, 204]);
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-webhook-'));
    dirs.push(dir);
    const h = harness({ dbPath: join(dir, 'kubeproof.db') });
    const created = await call(h, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), callbackUrl: hook.url, callbackSecret: 'ci' },
    });
    expect(created.status, created.text).toBe(202);
    await settle(h);

    expect(hook.deliveries).toHaveLength(3);
    const first = hook.deliveries[0]!;
    expect(first.url).toBe('/hooks/kubeproof?team=a');
    for (const [i, d] of hook.deliveries.entries()) {
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['x-kubeproof-event']).toBe('audit.finished');
      expect(d.headers['x-kubeproof-attempt']).toBe(String(i + 1));
      // One delivery id for all attempts: a receiver de-duplicates on it.
      expect(d.headers['x-kubeproof-delivery']).toBe(first.headers['x-kubeproof-delivery']);
      expect(d.body).toBe(first.body);
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(d.headers['x-kubeproof-signature']));
      expect(m, String(d.headers['x-kubeproof-signature'])).not.toBeNull();
      expect(m![2]).toBe(hmac(m![1]!, d.body));
      expect(Math.abs(Date.now() / 1000 - Number(m![1]))).toBeLessThan(300);
    }
    const payload = JSON.parse(first.body);
    expect(payload).toMatchObject({ type: 'audit.finished', audit: { id: created.body.id, status: 'passed' } });
    expect(payload.deliveryId).toBe(first.headers['x-kubeproof-delivery']);
    expect(payload.audit.summary.passed).toBeGreaterThan(0);
    // The receiver-side helper agrees, and refuses a changed body or an old timestamp.
    const header = String(first.headers['x-kubeproof-signature']);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifySignature(SECRET, header, first.body, t)).toBe(true);
    expect(verifySignature(SECRET, header, `${first.body} `, t)).toBe(false);
    expect(verifySignature(SECRET, header, first.body, t + 301)).toBe(false);
    expect(verifySignature('another-secret-value-123456', header, first.body, t)).toBe(false);

    const run = await call(h, 'GET', `/v1/audits/${created.body.id}`);
    expect(run.body.callback).toMatchObject({ url: hook.url, secret: 'ci', state: 'delivered' });
    const attempts = run.body.callback.attempts;
    expect(attempts.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual([
      ['rejected', 503],
      ['rejected', 502],
      ['delivered', 204],
    ]);
    expect(attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[0].retryInMs).toBe(1);
    expect(attempts[1].retryInMs).toBe(2);
    expect(attempts[2].retryInMs).toBeNull();

    const scraped = await (await h.app.request('/metrics')).text();
    expect(scraped).toContain('kubeproof_webhook_attempts_total{outcome="rejected"} 2');
    expect(scraped).toContain('kubeproof_webhook_attempts_total{outcome="delivered"} 1');

    // The secret's value is never stored, logged or shown; nor is the receiver's body.
    expect(run.text).not.toContain(SECRET);
    expect(h.logs.join('')).not.toContain(SECRET);
    expect(h.logs.join('')).not.toContain('/hooks/kubeproof');
    await h.close();
    harnesses.splice(harnesses.indexOf(h), 1);
    for (const name of readdirSync(dir)) {
      const content = readFileSync(join(dir, name)).toString('latin1');
      expect(content.includes(SECRET), name).toBe(false);
      expect(content.includes('receiver body'), name).toBe(false);
      expect(content.includes(TEST_TOKEN), name).toBe(false);
    }
  });

  it('gives up after the bounded attempts on 5xx, does not retry a 4xx, and retries when nobody listens', async () => {
    const down = await receiver([500]);
    const gone = await receiver([404]);
    const h = harness();
    const a = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), callbackUrl: down.url } });
    const b = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), callbackUrl: gone.url } });
    // A loopback port nobody listens on: the server is closed before the run ends.
    const closed = await receiver([200]);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const c = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), callbackUrl: closed.url } });
    await settle(h);

    const callbackOf = async (id: string) => (await call(h, 'GET', `/v1/audits/${id}`)).body.callback;
    const ca = await callbackOf(a.body.id);
    expect(ca.state).toBe('failed');
    expect(ca.attempts).toHaveLength(4);
    expect(down.deliveries).toHaveLength(4);
    expect(ca.attempts.map((x: { retryInMs: number | null }) => x.retryInMs)).toEqual([1, 2, 4, null]);
    // Unsigned without a callbackSecret.
    expect(down.deliveries[0]!.headers['x-kubeproof-signature']).toBeUndefined();

    const cb = await callbackOf(b.body.id);
    expect(cb).toMatchObject({
      state: 'failed',
      attempts: [{ outcome: 'rejected', statusCode: 404, retryInMs: null }],
    });
    expect(gone.deliveries).toHaveLength(1);

    const cc = await callbackOf(c.body.id);
    expect(cc.state).toBe('failed');
    expect(cc.attempts).toHaveLength(4);
    expect(
      cc.attempts.every(
        (x: { outcome: string; statusCode: null }) => x.outcome === 'unreachable' && x.statusCode === null,
      ),
    ).toBe(true);
    expect(cc.attempts[0].error).toMatch(/ECONNREFUSED/);
  });

  it('refuses a policy-denied callback URL at intake with 400 outbound_policy, dialling nothing', async () => {
    const recorder = dialRecorder({ 'hooks.example.com': ['10.1.2.3'] });
    const outbound = new OutboundPolicy({
      allowed: parseAllowedTargets('127.0.0.1/32'),
      allowLoopback: true,
      connector: recorder.connector,
    });
    const h = harness({ outbound, httpCallbacks: 'loopback' });
    const cases: Array<[string, RegExp]> = [
      ['https://169.254.169.254/latest/meta-data', /cloud metadata address/],
      ['https://[::ffff:169.254.169.254]/hook', /cloud metadata address/],
      ['https://192.168.1.20/hook', /matches no rule of KUBEPROOF_ALLOWED_TARGETS/],
      // A name is resolved once and every answer checked.
      ['https://hooks.example.com/x', /resolves to 10\.1\.2\.3.*matches no rule/],
      ['http://10.1.2.3/hook', /http:\/\/ callbacks go to loopback only/],
    ];
    for (const [url, reason] of cases) {
      const res = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), callbackUrl: url } });
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:kubeproof:problem:outbound_policy', field: 'body.callbackUrl' });
      expect(res.body.detail, url).toMatch(reason);
    }
    // Nothing was dialled, and no run was created.
    expect(recorder.dialled).toEqual([]);
    expect((await call(h, 'GET', '/v1/audits')).body.items).toEqual([]);
    expect(recorder.resolved).toContain('hooks.example.com');
  });

  it('re-checks the address when it dials: a name that now resolves elsewhere is refused and never dialled', async () => {
    const hook = await receiver([200]);
    const recorder = dialRecorder({ 'hook.test': ['127.0.0.1', '169.254.169.254'] });
    const outbound = new OutboundPolicy({ allowLoopback: true, connector: recorder.connector });
    const h = harness({ outbound, httpCallbacks: 'loopback' });
    const res = await call(h, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), callbackUrl: `https://hook.test:${hook.port}/x` },
    });
    expect(res.status, res.text).toBe(202);
    await settle(h);
    const callback = (await call(h, 'GET', `/v1/audits/${res.body.id}`)).body.callback;
    expect(callback.state).toBe('failed');
    expect(callback.attempts).toMatchObject([{ outcome: 'refused', statusCode: null, retryInMs: null }]);
    expect(callback.attempts[0].error).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
    expect(recorder.dialled).toEqual([]);
    expect(hook.deliveries).toEqual([]);
  });

  it('validates the request: a URL, https only unless allowed, a configured secret name, never a secret value', async () => {
    const h = harness({ httpCallbacks: 'never' });
    const post = (extra: Record<string, unknown>) =>
      call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml(), ...extra } });
    const bad: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ callbackUrl: 'not a url' }, 400, /body\.callbackUrl: not an absolute URL/],
      [{ callbackUrl: 'ftp://127.0.0.1/x' }, 400, /ftp:\/\/ is not a callback scheme/],
      [{ callbackUrl: 'https://user:pw@127.0.0.1/x' }, 400, /credentials in the URL are refused/],
      [{ callbackUrl: 'http://127.0.0.1:9/x' }, 400, /callbacks are https:\/\/ only.*KUBEPROOF_CALLBACK_ALLOW_HTTP=1/],
      [{ callbackSecret: 'ci' }, 400, /callbackSecret needs a callbackUrl/],
      [{ callbackUrl: 'https://127.0.0.1:9/x', callbackSecret: 'nope' }, 400, /no callback secret of that name/],
      // Someone sends the value instead of the name: refused, and not echoed.
      [{ callbackUrl: 'https://127.0.0.1:9/x', callbackSecret: SECRET }, 400, /its name, never its value/],
    ];
    for (const [extra, status, detail] of bad) {
      const res = await post(extra);
      expect(res.status, JSON.stringify(extra)).toBe(status);
      expect(res.body.detail, JSON.stringify(extra)).toMatch(detail);
      expect(res.text).not.toContain(SECRET);
    }
    // The raw-kubeconfig form takes them as query parameters.
    const yaml = await h.app.request('/v1/audits?callbackUrl=https%3A%2F%2F127.0.0.1%3A9%2Fx&callbackSecret=ci', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: kubeconfigYaml(),
    });
    expect(yaml.status, await yaml.clone().text()).toBe(202);
    const id = ((await yaml.json()) as { id: string }).id;
    const run = await call(h, 'GET', `/v1/audits/${id}`);
    expect(run.body.callback).toMatchObject({ url: 'https://127.0.0.1:9/x', secret: 'ci' });
    // A run without a callback shows null.
    const plain = await post({});
    expect((await call(h, 'GET', `/v1/audits/${plain.body.id}`)).body.callback).toBeNull();
    await h.runner.whenIdle();
    await h.webhooks.close();
  });

  it('marks a delivery a previous process left pending as abandoned at start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-webhook-'));
    dirs.push(dir);
    const dbPath = join(dir, 'kubeproof.db');
    const first = harness({
      dbPath,
      executor: new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }], { holdAfter: 0 }),
    });
    const res = await call(first, 'POST', '/v1/audits', {
      json: { kubeconfig: kubeconfigYaml(), callbackUrl: 'https://127.0.0.1:9/x' },
    });
    expect((await call(first, 'GET', `/v1/audits/${res.body.id}`)).body.callback.state).toBe('pending');
    // The process "dies": its database is reopened by a new one before it could deliver.
    const db = openDatabase(dbPath);
    try {
      const store = new AuditStore(db.db);
      expect(store.interruptUnfinished(new Date())).toEqual([res.body.id]);
      expect(store.getRun(res.body.id)).toMatchObject({ status: 'interrupted', callbackState: 'abandoned' });
    } finally {
      db.close();
    }
    first.runner.cancel(res.body.id);
  });

  it('reads KUBEPROOF_CALLBACK_SECRETS and KUBEPROOF_CALLBACK_ALLOW_HTTP, never echoing a value', () => {
    const base = { KUBEPROOF_DB: ':memory:' };
    expect(loadConfig(base).callbackSecrets.size).toBe(0);
    expect(loadConfig(base).httpCallbacks).toBe('loopback');
    expect(loadConfig({ ...base, HOST: '0.0.0.0', KUBEPROOF_ALLOW_UNAUTHENTICATED: '1' }).httpCallbacks).toBe('never');
    expect(loadConfig({ ...base, KUBEPROOF_CALLBACK_ALLOW_HTTP: '1' }).httpCallbacks).toBe('any');
    const config = loadConfig({ ...base, KUBEPROOF_CALLBACK_SECRETS: `ci:${SECRET},ops:ops-secret-value-88f1c2` });
    expect([...config.callbackSecrets.keys()]).toEqual(['ci', 'ops']);
    for (const raw of [`ci:short`, `ci:${SECRET},ci:${SECRET}`, `:${SECRET}`, SECRET]) {
      let message = '';
      try {
        loadConfig({ ...base, KUBEPROOF_CALLBACK_SECRETS: raw });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, raw).toContain('KUBEPROOF_CALLBACK_SECRETS');
      expect(message, raw).not.toContain(SECRET);
      expect(message, raw).not.toContain('short');
    }
  });

  it('is in the OpenAPI document: callbackUrl and callbackSecret on createAudit, callback on the audit', async () => {
    const doc = (await call(harness(), 'GET', '/openapi.json')).body;
    const body = doc.components.schemas.CreateAuditRequest.properties;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['callbackUrl', 'callbackSecret']));
    expect(doc.components.schemas.AuditCallback.properties.attempts).toBeDefined();
  });
});
