/**
 * KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER: audits of one API server past the cap wait in the
 * queue while an audit of another cluster starts at once; a slot of that cluster frees the next.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { allPassing, ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const submit = (h: Harness, server: string) =>
  call(h, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml({ server }) } });
const statusOf = async (h: Harness, id: string) => (await call(h, 'GET', `/v1/audits/${id}`)).body.status;

describe('per-cluster concurrency cap', () => {
  it('queues the third audit of one cluster while another cluster’s audit runs', async () => {
    harness = createHarness({
      executor: new ScriptedExecutor(allPassing, { holdAfter: 1 }),
      maxConcurrent: 4,
      clusterMaxConcurrent: 2,
    });
    const h = harness;
    const a = [];
    for (let i = 0; i < 3; i++) a.push((await submit(h, 'https://10.0.0.1:6443')).body.id as string);
    const b = (await submit(h, 'https://10.0.0.2:6443')).body.id as string;
    expect(await Promise.all(a.map((id) => statusOf(h, id)))).toEqual(['running', 'running', 'queued']);
    expect(await statusOf(h, b)).toBe('running');
    await call(h, 'POST', `/v1/audits/${a[0]}/cancel`);
    await h.runner.whenFinished(a[0]!);
    // The freed slot of cluster A goes to A's waiting audit.
    for (let i = 0; i < 100 && (await statusOf(h, a[2]!)) === 'queued'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await statusOf(h, a[2]!)).toBe('running');
  });

  it('is configured by KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER, never above the overall limit', () => {
    expect(loadConfig({}).clusterMaxConcurrentAudits).toBe(4);
    expect(loadConfig({ KUBEPROOF_MAX_CONCURRENT_AUDITS: '32' }).clusterMaxConcurrentAudits).toBe(8);
    expect(
      loadConfig({ KUBEPROOF_MAX_CONCURRENT_AUDITS: '32', KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER: '16' })
        .clusterMaxConcurrentAudits,
    ).toBe(16);
    expect(() => loadConfig({ KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER: '0' })).toThrow(
      /KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER must be a whole number from 1 to 64, got "0"/,
    );
  });
});
