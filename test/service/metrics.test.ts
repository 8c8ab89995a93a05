import { register as globalRegistry, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { ServiceMetrics } from '../../src/metrics/service-metrics.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { ScriptedExecutor } from './fakes.js';
import { call, type Harness, harnessPool } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let sim: SimCluster | undefined;
const pool = harnessPool();
const harness = pool.harness;
afterEach(async () => {
  await pool.closeAll();
  await sim?.stop();
  sim = undefined;
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, as a scraper reads it: one sample per non-comment line. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of one series (0 when absent, as PromQL's `or vector(0)` would read it). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(h: Harness, headers: Record<string, string> = {}) {
  const res = await h.app.request('/metrics', { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

describe('GET /metrics', () => {
  it('after a simulated audit: audits, check results, durations, queue, cluster calls and the per-cluster gauges hold real values', async () => {
    sim = await startSimCluster();
    const metrics = new ServiceMetrics(new Registry(), { clusterLabels: ['server'], maxClusters: 10 });
    const h = harness({
      metrics,
      executor: createSuiteExecutor({
        clock: { now: () => new Date() },
        logger: silentLogger,
        onApiRequest: metrics.apiRequest,
      }),
      catalog: suiteCatalog(),
    });
    const before = await scrape(h);
    expect(before.status).toBe(200);
    expect(value(parse(before.text), 'kubeproof_audits_total')).toBe(0);
    sim.resetAccounting();

    const created = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: sim.kubeconfig, checks: ['smoke'] } });
    expect(created.status, created.text).toBe(202);
    await h.runner.whenIdle();
    const run = (await call(h, 'GET', created.body.links.self)).body;
    expect(run.status).toBe('passed');

    const res = await scrape(h);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parse(res.text);
    expect(value(s, 'kubeproof_audits_total', { status: 'passed' })).toBe(1);
    expect(value(s, 'kubeproof_audits_total')).toBe(1);
    // One result per check of the run, each under its own id and status.
    expect(value(s, 'kubeproof_check_results_total')).toBe(run.checks.length);
    for (const check of run.checks as Array<{ id: string; status: string; durationMs: number }>) {
      expect(value(s, 'kubeproof_check_results_total', { check: check.id, status: check.status }), check.id).toBe(1);
      expect(value(s, 'kubeproof_check_duration_seconds_count', { check: check.id })).toBe(1);
      expect(value(s, 'kubeproof_check_duration_seconds_sum', { check: check.id })).toBeCloseTo(
        check.durationMs / 1000,
        3,
      );
    }
    expect(value(s, 'kubeproof_audit_duration_seconds_count', { status: 'passed' })).toBe(1);
    expect(value(s, 'kubeproof_audit_duration_seconds_sum', { status: 'passed' })).toBeCloseTo(
      run.durationMs / 1000,
      3,
    );
    expect(value(s, 'kubeproof_audits_queued')).toBe(0);
    expect(value(s, 'kubeproof_audits_running')).toBe(0);

    // Cluster calls, compared with what the simulated API server itself counted.
    const served = sim.accounting().requests;
    const servedOn = (resource: string) =>
      Object.values(served).reduce((sum, byRes) => sum + (byRes[resource] ?? 0), 0);
    const calls = (verb: string) => value(s, 'kubeproof_cluster_api_requests_total', { verb });
    expect(calls('CONNECT')).toBeGreaterThan(0);
    expect(calls('CONNECT')).toBe(servedOn('pods/exec') + servedOn('pods/portforward'));
    expect(calls('DELETE')).toBe(Object.values(served.delete ?? {}).reduce((a, b) => a + b, 0));
    expect(calls('POST')).toBeGreaterThan(0);
    expect(calls('WATCH')).toBeGreaterThan(0);
    // Each counted call reached the server at least once (a wait is a list and its watches; logs read the pod first).
    expect(value(s, 'kubeproof_cluster_api_requests_total')).toBeLessThanOrEqual(sim.accounting().total);

    const server = run.cluster.server as string;
    expect(value(s, 'kubeproof_cluster_last_audit_passed', { server })).toBe(1);
    expect(value(s, 'kubeproof_cluster_last_audit_failed_checks', { server })).toBe(0);
    expect(value(s, 'kubeproof_cluster_last_audit_timestamp_seconds', { server })).toBe(
      Date.parse(run.finishedAt) / 1000,
    );
    expect(value(s, 'kubeproof_cluster_last_audit_duration_seconds', { server })).toBeCloseTo(run.durationMs / 1000, 3);
  }, 120_000);

  it('counts failed and error audits apart, and shows the queue while audits wait and run', async () => {
    const executor = new ScriptedExecutor(
      [
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'failed' },
      ],
      { holdAfter: 1 },
    );
    const h = harness({ executor, maxConcurrent: 1 });
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    executor.onHold = () => held();
    const first = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const second = await call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await holding;
    let s = parse((await scrape(h)).text);
    expect(value(s, 'kubeproof_audits_running')).toBe(1);
    expect(value(s, 'kubeproof_audits_queued')).toBe(1);
    expect(value(s, 'kubeproof_check_results_total', { check: 'preflight.api', status: 'passed' })).toBe(1);

    await call(h, 'POST', `/v1/audits/${second.body.id}/cancel`);
    await call(h, 'POST', `/v1/audits/${first.body.id}/cancel`);
    await h.runner.whenIdle();
    s = parse((await scrape(h)).text);
    expect(value(s, 'kubeproof_audits_total', { status: 'cancelled' })).toBe(2);
    expect(value(s, 'kubeproof_audits_running')).toBe(0);
    expect(value(s, 'kubeproof_audits_queued')).toBe(0);
    // The one cancelled before it started has no duration.
    expect(value(s, 'kubeproof_audit_duration_seconds_count', { status: 'cancelled' })).toBe(1);
  });

  it('tells failed from error runs by their final status', async () => {
    const failing = harness({
      executor: new ScriptedExecutor([
        { id: 'preflight.api', status: 'passed' },
        { id: 'workload.rollout', status: 'failed' },
      ]),
    });
    await call(failing, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await failing.runner.whenIdle();
    const erroring = harness({ executor: new ScriptedExecutor([{ id: 'preflight.api', status: 'error' }]) });
    await call(erroring, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await erroring.runner.whenIdle();
    const a = parse((await scrape(failing)).text);
    const b = parse((await scrape(erroring)).text);
    expect(value(a, 'kubeproof_audits_total', { status: 'failed' })).toBe(1);
    expect(value(a, 'kubeproof_check_results_total', { check: 'workload.rollout', status: 'failed' })).toBe(1);
    expect(value(b, 'kubeproof_audits_total', { status: 'error' })).toBe(1);
    expect(value(b, 'kubeproof_audits_total', { status: 'failed' })).toBe(0);
    // Each app has its own Registry: the other service's run is not counted here, nor in prom-client's global one.
    expect(value(a, 'kubeproof_audits_total', { status: 'error' })).toBe(0);
    expect(await globalRegistry.getSingleMetricAsString('kubeproof_audits_total').catch(() => '')).toBe('');
  });

  it('keeps the per-cluster gauges off by default and bounded to KUBEPROOF_METRICS_MAX_CLUSTERS when on', async () => {
    const off = harness();
    await call(off, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await off.runner.whenIdle();
    expect((await scrape(off)).text).not.toContain('kubeproof_cluster_last_audit');

    const h = harness({
      metrics: new ServiceMetrics(new Registry(), { clusterLabels: ['server', 'context'], maxClusters: 2 }),
    });
    for (const port of [6441, 6442, 6443, 6442]) {
      await call(h, 'POST', '/v1/audits', {
        json: { kubeconfig: kubeconfigYaml({ server: `https://127.0.0.1:${port}` }) },
      });
      await h.runner.whenIdle();
    }
    const s = parse((await scrape(h)).text);
    const series = s.filter((x) => x.name === 'kubeproof_cluster_last_audit_passed');
    // 6441 was audited longest ago: dropped when the third distinct server came.
    expect(series.map((x) => x.labels.server).sort()).toEqual(['https://127.0.0.1:6442', 'https://127.0.0.1:6443']);
    expect(series.every((x) => x.labels.context === 'test' && x.value === 1)).toBe(true);
    expect(value(s, 'kubeproof_metrics_clusters_evicted_total')).toBe(1);
  });

  it('requires KUBEPROOF_METRICS_TOKEN when it is set: 401 problem+json without it or with another token', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const h = harness({ metricsToken: token, apiTokens: ['team-a:api-token-0123456789abcdef'] });
    const none = await scrape(h);
    expect(none.status).toBe(401);
    expect(none.type).toBe('application/problem+json');
    expect(JSON.parse(none.text)).toMatchObject({ code: 'unauthorized', status: 401, instance: '/metrics' });
    expect(JSON.parse(none.text).detail).toContain('KUBEPROOF_METRICS_TOKEN');
    // An API token is not the scrape token.
    expect((await scrape(h, { authorization: 'Bearer api-token-0123456789abcdef' })).status).toBe(401);
    const ok = await scrape(h, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE kubeproof_audits_total counter');
    // Without the variable the scrape is open, even when /v1 has tokens.
    const open = harness({ apiTokens: ['team-a:api-token-0123456789abcdef'] });
    expect((await scrape(open)).status).toBe(200);
  });

  it('is in the OpenAPI document as getMetrics', async () => {
    const doc = (await call(harness(), 'GET', '/openapi.json')).body;
    const op = doc.paths['/metrics'].get;
    expect(op.operationId).toBe('getMetrics');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401']));
    expect(doc.components.securitySchemes.metricsToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('reads its settings from the environment, refusing bad ones with a message', () => {
    const base = { KUBEPROOF_DB: ':memory:' };
    const config = loadConfig(base);
    expect(config.metricsToken).toBeUndefined();
    expect(config.metricsClusterLabels).toEqual([]);
    expect(config.metricsMaxClusters).toBe(100);
    const on = loadConfig({
      ...base,
      KUBEPROOF_METRICS_TOKEN: 'scrape-token-0123456789abcdef',
      KUBEPROOF_METRICS_CLUSTER_LABELS: 'server, cluster',
      KUBEPROOF_METRICS_MAX_CLUSTERS: '20',
    });
    expect(on).toMatchObject({ metricsClusterLabels: ['server', 'cluster'], metricsMaxClusters: 20 });
    expect(() => loadConfig({ ...base, KUBEPROOF_METRICS_CLUSTER_LABELS: 'server,pipeline' })).toThrow(
      /unknown label "pipeline"; choose from server, cluster, context/,
    );
    expect(() => loadConfig({ ...base, KUBEPROOF_METRICS_MAX_CLUSTERS: '0' })).toThrow(
      /KUBEPROOF_METRICS_MAX_CLUSTERS/,
    );
    let message = '';
    try {
      loadConfig({ ...base, KUBEPROOF_METRICS_TOKEN: 'short secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('KUBEPROOF_METRICS_TOKEN must be at least 16');
    expect(message).not.toContain('short secret');
  });
});
