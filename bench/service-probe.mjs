/**
 * Preloaded into the benchmark's service process (`node --import ./bench/service-probe.mjs
 * dist/server.js`); the service itself is unchanged. It answers the benchmark over IPC with the
 * process's event-loop delay (perf_hooks.monitorEventLoopDelay), CPU time and peak RSS, and
 * serves `GET /__bench/memory/<key>` on the service's own HTTP server: bytes the benchmark
 * handed it, from memory — the yardstick a stored report's route is compared with.
 * Plain JavaScript: it runs in front of the compiled service, with no TypeScript loader.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const MEMORY_PREFIX = '/__bench/memory/';
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
sampler.unref();

/** key → { body: Buffer, headers } */
const memory = new Map();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request') {
    const [req, res] = args;
    if (req.url?.startsWith(MEMORY_PREFIX)) {
      const entry = memory.get(req.url.slice(MEMORY_PREFIX.length));
      if (!entry) {
        res.writeHead(404).end();
        return true;
      }
      res.writeHead(200, { ...entry.headers, 'content-length': entry.body.length });
      res.end(entry.body);
      return true;
    }
  }
  return emit.call(this, event, ...args);
};

const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
const handlers = {
  stats: () => {
    const cpu = process.cpuUsage();
    return {
      eventLoopDelayMs: {
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      },
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rss: process.memoryUsage().rss,
      peakRss: Math.max(peakRss, process.memoryUsage().rss),
    };
  },
  reset: () => {
    histogram.reset();
    peakRss = process.memoryUsage().rss;
  },
  memory: ({ key, body, headers }) => {
    memory.set(key, { body: Buffer.from(body, 'base64'), headers });
  },
};

process.on('message', (message) => {
  const { id, op, args } = message ?? {};
  if (typeof id !== 'number') return;
  try {
    const handler = handlers[op];
    if (!handler) throw new Error(`unknown request ${op}`);
    process.send?.({ id, ok: true, result: handler(args) });
  } catch (err) {
    process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
// The IPC channel must not keep the service alive once it decides to exit.
process.channel?.unref();
