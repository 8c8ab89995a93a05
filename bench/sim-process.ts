/**
 * The benchmark's simulated cluster, in its own process (so its CPU and memory are not the
 * service's): started with the latencies given as JSON in argv[2], it reports `ready` with the
 * kubeconfig, then answers the benchmark over IPC (accounting, request log, timeline, latencies,
 * its own CPU and memory). Every socket it opens is on 127.0.0.1.
 */
import type { Latencies } from '../test/sim/contracts.js';
import { HONOUR_GRACE_PERIODS } from '../test/sim/controllers/kit/context.js';
import { startSimCluster } from '../test/sim/index.js';
import { serveIpc } from './ipc.js';

const latencies = JSON.parse(process.argv[2] ?? '{}') as Partial<Latencies>;
const sim = await startSimCluster({
  latencies,
  encryption: { provider: 'aescbc', keyName: 'key1' },
  // Pods are deleted as a kubelet deletes them: at once when their processes exit on TERM,
  // after their whole grace period when PID 1 ignores it (busybox `sleep`).
  timings: { podDeletionGraceMs: HONOUR_GRACE_PERIODS },
  timeline: true,
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
sampler.unref();

serveIpc({
  accounting: () => ({ ...sim.accounting(), log: sim.requestLog() }),
  resetAccounting: () => sim.resetAccounting(),
  setLatencies: (patch: Partial<Latencies>) => {
    sim.setLatencies(patch);
    return sim.latencies;
  },
  timeline: ({ namespace }: { namespace: string }) => sim.timeline?.timelineOf(namespace) ?? [],
  namespaceGone: ({ namespace, timeoutMs }: { namespace: string; timeoutMs: number }) =>
    sim.timeline?.namespaceGone(namespace, timeoutMs) ?? false,
  usage: () => {
    const cpu = process.cpuUsage();
    return { cpuSeconds: (cpu.user + cpu.system) / 1e6, rss: process.memoryUsage().rss, peakRss };
  },
  resetPeak: () => {
    peakRss = process.memoryUsage().rss;
  },
});

const stop = () => {
  void sim.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
process.send?.({ ready: { kubeconfig: sim.kubeconfig, url: sim.url } });
