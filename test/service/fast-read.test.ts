/**
 * The listener's fast path for finished audits' cached bodies answers exactly what the routes
 * answer: two real listeners over the same app and store, one with the fast path (as the service
 * runs) and one without, must give the same status, headers (but the values of Date and
 * X-Request-Id), body and access log line — and the fast path must leave to the app whatever it
 * does not answer from the cache: no or a wrong token, another tenant's, unknown or unfinished
 * run, unacceptable Accept, a body, HEAD.
 */
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastPath } from '../../src/http/listener.js';
import { requestListener } from '../../src/http/listener.js';
import { allPassing, ScriptedExecutor } from './fakes.js';
import { call, type Harness, harnessPool } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

const A = 'kp-team-a-token-0123456789';
const B = 'kp-team-b-token-0123456789';
const OPS = 'kp-ops-token-0123456789ab';
const TOKENS = [`team-a:${A}`, `team-b:${B}`, `ops@admin:${OPS}`];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const pool = harnessPool();
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await pool.closeAll();
});

async function listen(h: Harness, fastPath?: FastPath): Promise<number> {
  const server = createServer(requestListener(h.app, '127.0.0.1', fastPath));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  /** Raw header lines in order, the values of Date and X-Request-Id masked. */
  headers: string[];
  body: string;
}

/** One request on its own connection; `headers` may repeat a name (raw pairs). */
function get(port: number, path: string, headers: Array<[string, string]> = [], method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Raw pairs: node adds no Host then, so it is the first.
    const raw = [['host', `127.0.0.1:${port}`], ...headers].flat();
    const req = request({ host: '127.0.0.1', port, path, method, agent: false, headers: raw }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          const masked = /^(date|x-request-id)$/i.test(name) ? '…' : res.rawHeaders[i + 1]!;
          lines.push(`${name}: ${masked}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: lines, body: Buffer.concat(chunks).toString('latin1') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Counts the requests the fast path answered itself. */
function counting(inner: FastPath): { hits: number; fastPath: FastPath } {
  const counter = {
    hits: 0,
    fastPath: (req, res) => {
      const answered = inner(req, res);
      if (answered) counter.hits++;
      return answered;
    },
  } satisfies { hits: number; fastPath: FastPath };
  return counter;
}

/** The access log lines of requests, without what differs per request. */
const requestLines = (h: Harness) =>
  h.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((r) => r.msg === 'request')
    .map(({ time: _t, requestId: _r, durationMs: _d, ...rest }) => rest);

async function setUp(executor = new ScriptedExecutor(allPassing)) {
  const h = pool.harness({ apiTokens: TOKENS, executor });
  const counter = counting(h.fastPath);
  const fast = await listen(h, counter.fastPath);
  const normal = await listen(h);
  return { h, counter, fast, normal };
}

async function finishedRun(h: Harness, token = A): Promise<string> {
  const created = await call(h, 'POST', '/v1/audits', {
    json: { kubeconfig: kubeconfigYaml() },
    headers: bearer(token),
  });
  expect(created.status, created.text).toBe(202);
  await h.runner.whenIdle();
  return created.body.id as string;
}

const READS = (id: string): Array<[string, Array<[string, string]>]> => [
  [`/v1/audits/${id}`, []],
  [`/v1/audits/${id}/report?format=json`, []],
  [`/v1/audits/${id}/report?format=junit`, []],
  [`/v1/audits/${id}/report?format=markdown`, []],
  [`/v1/audits/${id}/report`, [['accept', 'text/markdown']]],
  [`/v1/audits/${id}/report`, []],
];

describe('fast path for cached finished-audit bodies', () => {
  it('answers the 4 routes (and Accept negotiation) exactly as the routes do, 200 and 304, with the same access log', async () => {
    const { h, counter, fast, normal } = await setUp();
    const id = await finishedRun(h);
    for (const [path, headers] of READS(id)) {
      const auth: Array<[string, string]> = [['authorization', `Bearer ${A}`], ...headers];
      // The first read renders and caches the body (the route); the fast path serves it from then on.
      const first = await get(fast, path, auth);
      const viaApp = await get(normal, path, auth);
      const hitsBefore = counter.hits;
      const viaFast = await get(fast, path, auth);
      expect(counter.hits, path).toBe(hitsBefore + 1);
      expect(viaFast, path).toEqual(viaApp);
      expect(first, path).toEqual(viaApp);
      expect(viaFast.status).toBe(200);
      const etag = viaFast.headers.find((l) => l.startsWith('etag: '))!.slice('etag: '.length);
      const conditional: Array<[string, string]> = [...auth, ['if-none-match', `"other", ${etag}`]];
      const notModified = await get(fast, path, conditional);
      expect(counter.hits).toBe(hitsBefore + 2);
      expect(notModified.status).toBe(304);
      expect(notModified).toEqual(await get(normal, path, conditional));
      // The representation's own Content-Type, not node-server's default text/plain.
      const contentType = viaFast.headers.find((l) => l.startsWith('content-type'));
      expect(notModified.headers).toContain(contentType);
    }
    // Every pair of log lines, fast and not, is the same but for the request id and duration.
    const lines = requestLines(h).filter((l) => l.method === 'GET');
    expect(lines.length).toBe(READS(id).length * 5);
    for (const line of lines) expect(line).toMatchObject({ runId: id, tenant: 'team-a' });
    const fastLines = lines.filter((_, i) => i % 5 === 2 || i % 5 === 3);
    const appLines = lines.filter((_, i) => i % 5 === 1 || i % 5 === 4);
    expect(fastLines).toEqual(appLines);
  });

  it('keeps the caller’s sane X-Request-Id, and replaces an odd one, as the app does', async () => {
    const { h, counter, fast, normal } = await setUp();
    const id = await finishedRun(h);
    const path = `/v1/audits/${id}`;
    await get(normal, path, [['authorization', `Bearer ${A}`]]);
    for (const requestId of ['trace-0123abcd', 'has space']) {
      const answers = await Promise.all(
        [fast, normal].map(
          (port) =>
            new Promise<string | undefined>((resolve, reject) => {
              request(
                { host: '127.0.0.1', port, path, agent: false, headers: { ...bearer(A), 'x-request-id': requestId } },
                (res) => {
                  res.resume();
                  resolve(res.headers['x-request-id'] as string | undefined);
                },
              )
                .on('error', reject)
                .end();
            }),
        ),
      );
      if (requestId === 'trace-0123abcd') expect(answers).toEqual([requestId, requestId]);
      else for (const answer of answers) expect(answer).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(counter.hits).toBe(2);
  });

  it('leaves to the app what it may not answer from the cache: the answers stay the app’s', async () => {
    const { h, counter, fast, normal } = await setUp();
    const id = await finishedRun(h);
    for (const [path] of READS(id)) await get(normal, path, [['authorization', `Bearer ${A}`]]);
    const cases: Array<[string, Array<[string, string]>, string?]> = [
      [`/v1/audits/${id}`, []], // no token: 401
      [`/v1/audits/${id}`, [['authorization', 'Bearer not-a-token-at-all']]], // 401 invalid_token
      [`/v1/audits/${id}`, [['authorization', `Basic ${A}`]]], // 401
      [`/v1/audits/${id}`, [['authorization', `Bearer ${B}`]]], // another tenant's: 404
      [`/v1/audits/${id}/report?format=junit`, [['authorization', `Bearer ${B}`]]],
      // Two Authorization headers: the app reads them joined, which is no bearer token: 401.
      [
        `/v1/audits/${id}`,
        [
          ['authorization', `Bearer ${A}`],
          ['authorization', `Bearer ${B}`],
        ],
      ],
      [`/v1/audits/no-such-run`, [['authorization', `Bearer ${A}`]]], // 404
      [
        `/v1/audits/${id}/report`,
        [
          ['authorization', `Bearer ${A}`],
          ['accept', 'image/png'],
        ],
      ], // 406
      [`/v1/audits/${id}/report?format=pdf`, [['authorization', `Bearer ${A}`]]], // 400
      [`/v1/audits/${id}/report?format=json&x=1`, [['authorization', `Bearer ${A}`]]], // the app's 200
      [`/v1/audits/${id}/`, [['authorization', `Bearer ${A}`]]], // no such route: 404
      [`/v1/audits/${id}`, [['authorization', `Bearer ${A}`]], 'HEAD'],
      [
        `/v1/audits/${id}`,
        [
          ['authorization', `Bearer ${A}`],
          ['content-length', '0'],
        ],
      ], // a GET with a body goes through the body limit
    ];
    for (const [path, headers, method] of cases) {
      const viaFast = await get(fast, path, headers, method);
      expect(viaFast, `${method ?? 'GET'} ${path}`).toEqual(await get(normal, path, headers, method));
    }
    expect(counter.hits).toBe(0);
    // The admin sees every tenant's run: from the cache.
    const admin = await get(fast, `/v1/audits/${id}`, [['authorization', `Bearer ${OPS}`]]);
    expect(admin).toEqual(await get(normal, `/v1/audits/${id}`, [['authorization', `Bearer ${OPS}`]]));
    expect(counter.hits).toBe(1);
  });

  it('leaves a run still going to the app (rendered afresh, no ETag), and a deleted one', async () => {
    const executor = new ScriptedExecutor(allPassing, { holdAfter: 1 });
    const { h, counter, fast, normal } = await setUp(executor);
    const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() }, headers: bearer(A) });
    const id = created.body.id as string;
    const auth: Array<[string, string]> = [['authorization', `Bearer ${A}`]];
    for (const [path] of READS(id).slice(0, 4)) {
      const viaFast = await get(fast, path, auth);
      expect(viaFast.status).toBe(200);
      expect(viaFast.headers.some((l) => l.startsWith('etag'))).toBe(false);
      expect(viaFast).toEqual(await get(normal, path, auth));
    }
    expect(counter.hits).toBe(0);
    await call(h, 'POST', `/v1/audits/${id}/cancel`, { headers: bearer(A) });
    await h.runner.whenIdle();
    await get(normal, `/v1/audits/${id}`, auth);
    await get(fast, `/v1/audits/${id}`, auth);
    expect(counter.hits).toBe(1);
    expect(h.store.deleteRun(id)).toBe(true);
    const gone = await get(fast, `/v1/audits/${id}`, auth);
    expect(gone.status).toBe(404);
    expect(counter.hits).toBe(1);
  });
});
