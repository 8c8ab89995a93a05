/**
 * Back-pressure: the queue is bounded (429 + Retry-After + problem+json past it), each tenant gets
 * a share of the queue and of the running slots, and open event streams are limited per tenant.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { allPassing, ScriptedExecutor } from '../service/fakes.js';
import { call, createHarness, type Harness } from '../service/harness.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const A = 'team-a-token-0123456789abcdef';
const B = 'team-b-token-fedcba9876543210';
const ENTRIES = [`team-a:${A}`, `team-b:sha256:${createHash('sha256').update(B).digest('hex')}`];
const as = (token: string) => ({ authorization: `Bearer ${token}` });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Holds every run after its first check until it is cancelled: slots stay taken. */
const holding = () => new ScriptedExecutor(allPassing, { holdAfter: 1 });
const submit = (h: Harness, token?: string) =>
  call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() }, ...(token ? { headers: as(token) } : {}) });
const statusOf = async (h: Harness, id: string, token?: string) =>
  (await call(h, 'GET', `/v1/audits/${id}`, token ? { headers: as(token) } : {})).body.status;

describe('bounded queue', () => {
  it('answers 429 with Retry-After and problem+json once KUBEPROOF_MAX_QUEUED_AUDITS wait', async () => {
    harness = createHarness({ executor: holding(), maxConcurrent: 1, maxQueued: 2 });
    const accepted = [await submit(harness), await submit(harness), await submit(harness)];
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);
    const refused = await submit(harness);
    expect(refused.status, refused.text).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.code).toBe('too_many_requests');
    expect(refused.body.detail).toContain('KUBEPROOF_MAX_QUEUED_AUDITS');
    // Nothing was recorded for the refused request.
    expect((await call(harness, 'GET', '/v1/audits')).body.items).toHaveLength(3);
    // Room again once a queued audit is cancelled.
    await call(harness, 'POST', `/v1/audits/${accepted[2]!.body.id}/cancel`);
    expect((await submit(harness)).status).toBe(202);
  });
});

describe('tenant shares', () => {
  it("one tenant filling its queue share does not refuse another tenant's audits", async () => {
    harness = createHarness({
      apiTokens: ENTRIES,
      executor: holding(),
      maxConcurrent: 1,
      maxQueued: 10,
      tenantMaxQueued: 1,
    });
    expect((await submit(harness, A)).status).toBe(202); // runs
    expect((await submit(harness, A)).status).toBe(202); // waits: A's share is full
    const third = await submit(harness, A);
    expect(third.status, third.text).toBe(429);
    expect(third.body.detail).toContain('KUBEPROOF_TENANT_MAX_QUEUED_AUDITS');
    expect((await submit(harness, B)).status).toBe(202);
  });

  it("a tenant's burst cannot take every running slot", async () => {
    harness = createHarness({ apiTokens: ENTRIES, executor: holding(), maxConcurrent: 2, tenantMaxConcurrent: 1 });
    const a1 = await submit(harness, A);
    const a2 = await submit(harness, A);
    const b1 = await submit(harness, B);
    // Let the runner start what it may.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await statusOf(harness, a1.body.id, A)).toBe('running');
    expect(await statusOf(harness, a2.body.id, A)).toBe('queued');
    expect(await statusOf(harness, b1.body.id, B)).toBe('running');
  });
});

describe('event streams per tenant', () => {
  it('refuses a stream past KUBEPROOF_MAX_EVENT_STREAMS_PER_TENANT with 429, and frees the slot when one closes', async () => {
    harness = createHarness({ apiTokens: ENTRIES, executor: holding(), maxEventStreamsPerTenant: 1 });
    const run = await submit(harness, A);
    const open = (token: string) =>
      harness!.app.request(`/v1/audits/${run.body.id}/events`, {
        headers: { ...as(token), accept: 'text/event-stream' },
      });
    const first = await open(A);
    expect(first.status).toBe(200);
    const second = await open(A);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeTruthy();
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    // The JSON form stays available.
    expect((await call(harness, 'GET', `/v1/audits/${run.body.id}/events`, { headers: as(A) })).status).toBe(200);
    // Ending the run ends the stream; then a stream may be opened again.
    await call(harness, 'POST', `/v1/audits/${run.body.id}/cancel`, { headers: as(A) });
    await first.text();
    const third = await open(A);
    expect(third.status).toBe(200);
    await third.text();
  });
});
