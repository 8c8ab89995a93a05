/**
 * pods.logs must see kubeproof's own requests in the log, not lines anyone could have caused:
 * the kubelet's readiness probe calls GET /hostname every period, so a log that stopped
 * updating still shows plenty of them. Against the simulated cluster (whose kubelet really
 * probes, and whose agnhost logs every request), a log frozen after the rollout — only probe
 * lines in it — fails the check; the live log passes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { CallOptions, ClusterAccess, LogStream, LogsRequest } from '../../src/kube/cluster-access.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { explain, runAudit } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/**
 * The real cluster access whose followed pods/log stream freezes after the line it held last
 * (the tail the kubelet sends first): what a stale CRI log file looks like through
 * `follow=true` — the kubelet waits for writes that never come and the stream stays open, so
 * each later read waits out its deadline and gets nothing.
 */
const frozenLogs = (credentials: Parameters<typeof createClusterAccess>[0]): ClusterAccess => {
  const real = createClusterAccess(credentials);
  return Object.assign(Object.create(real) as ClusterAccess, {
    followLogs: <T>(req: LogsRequest, use: (lines: LogStream) => Promise<T>, opts?: CallOptions) =>
      real.followLogs(
        req,
        (stream) => {
          let first = true;
          return use({
            nextLine: async (deadline) => {
              if (first) {
                first = false;
                return stream.nextLine(deadline);
              }
              await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
              return undefined;
            },
          });
        },
        opts,
      ),
  });
};

describe('pods.logs', () => {
  it('passes when the log shows the requests kubeproof sent', async () => {
    sim = await startSimCluster();
    const run = await runAudit(sim, { selection: ['pods.logs'] });
    const r = run.results.get('pods.logs');
    expect(r?.status, explain(run)).toBe('passed');
    const counted = /shows (\d+) new GET \/hostname line\(s\) for the 5 request\(s\) kubeproof just sent/.exec(
      r?.summary ?? '',
    );
    expect(Number(counted?.[1]), r?.summary).toBeGreaterThanOrEqual(5);
    // The 5 requests went over one forwarded connection: one pods/portforward upgrade.
    expect(sim.accounting().requests.get?.['pods/portforward']).toBe(1);
    // The log read once, followed across the burst, and closed when the burst showed.
    expect(sim.accounting().requests.get?.['pods/log']).toBe(1);
  });

  it('fails when the log holds only probe lines (a stale log)', async () => {
    sim = await startSimCluster();
    const run = await runAudit(sim, { selection: ['pods.logs'], connect: frozenLogs });
    const r = run.results.get('pods.logs');
    expect(r?.status, explain(run)).toBe('failed');
    expect(r?.summary).toMatch(
      /shows 0 new GET \/hostname line\(s\) after kubeproof sent 5 request\(s\): the log is stale/,
    );
    // What the stale log does hold: the kubelet's readiness probes, GET /hostname, and nothing else.
    const last = (r?.evidence as { lastLines?: string[] } | undefined)?.lastLines ?? [];
    expect(last.length).toBeGreaterThan(0);
    for (const line of last)
      expect(line).toMatch(/\] (GET \/hostname|hostname: \S+|Started (HTTP|UDP) server on port \d+)$/);
    expect(r?.hint).toMatch(/stale/);
  }, 30_000);
});
