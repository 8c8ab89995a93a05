/**
 * The benchmark's two child processes: the simulated cluster (bench/sim-process.ts, through tsx)
 * and the service (`node dist/server.js` as `npm start` runs it, or src/server.ts through tsx),
 * optionally with the probe preloaded. Both listen on 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Latencies } from '../test/sim/contracts.js';
import { freePort } from '../test/sim/etcd-harness.js';
import { IpcClient } from './ipc.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The last lines a child wrote to stderr, for the message when it fails. */
function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-2000);
  });
  return () => tail.trim();
}

export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process from /proc (Linux); NaN elsewhere. */
export function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface SimProcess {
  child: ChildProcess;
  ipc: IpcClient;
  kubeconfig: string;
}

export async function startSimProcess(latencies: Latencies, timeoutMs = 60_000): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sim-process.ts', JSON.stringify(latencies)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const tail = stderrTail(child);
  const ipc = new IpcClient(child, 'simulated cluster');
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulated cluster did not start within 60 s')), timeoutMs);
    child.on('message', (m: { ready?: { kubeconfig: string } }) => {
      if (!m?.ready) return;
      clearTimeout(timer);
      resolve(m.ready.kubeconfig);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulated cluster exited (code ${code}) before it was ready: ${tail()}`));
    });
  });
  return { child, ipc, kubeconfig };
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Only with the probe preloaded. */
  ipc: IpcClient | undefined;
  base: string;
  /** From spawn until /healthz answered 200. */
  healthzMs: number;
}

export interface ServiceStart {
  mode: 'dist' | 'source';
  dbPath: string;
  probe: boolean;
  env?: Record<string, string>;
}

export async function startServiceProcess(start: ServiceStart, timeoutMs = 60_000): Promise<ServiceProcess> {
  const port = await freePort();
  const entry = start.mode === 'dist' ? ['dist/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  // For profiling the service (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`); never set by the benchmark itself.
  const extra = (process.env.KUBEPROOF_BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...extra, ...(start.probe ? ['--import', './bench/service-probe.mjs'] : []), ...entry];
  const began = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', ...(start.probe ? (['ipc'] as const) : [])],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      KUBEPROOF_DB: start.dbPath,
      ...start.env,
    },
  });
  const tail = stderrTail(child);
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = began + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`the service exited before /healthz answered: ${tail()}`);
    if (performance.now() > deadline) {
      await stopChild(child);
      throw new Error(`the service did not answer /healthz within ${timeoutMs / 1000} s: ${tail()}`);
    }
    try {
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const healthzMs = performance.now() - began;
  return { child, ipc: start.probe ? new IpcClient(child, 'service probe') : undefined, base, healthzMs };
}
