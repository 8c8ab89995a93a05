/** Runs the `kubeproof` CLI in this process against simulated clusters and real services. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, runCli } from '../../src/cli/audit.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../sim/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Temporary files and processes of one test file, removed after it. */
export class CliFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'kubeproof-cli-'));
  readonly #stops: Array<() => Promise<void> | void> = [];

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string, mode = 0o600): string {
    const path = this.path(name);
    writeFileSync(path, text, { mode });
    return path;
  }

  async sim(options: SimClusterOptions = {}): Promise<SimCluster> {
    const sim = await startSimCluster(options);
    this.#stops.push(() => sim.stop());
    return sim;
  }

  /** A real kubeproof service on loopback (a temporary in-memory database). */
  async service(env: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
    const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', KUBEPROOF_DB: ':memory:', ...env }), {
      writeLog: () => undefined,
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    };
    this.#stops.push(stop);
    return { url: `http://127.0.0.1:${server.port}`, stop };
  }

  async close(): Promise<void> {
    for (const stop of this.#stops.splice(0).reverse()) await stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `kubeproof ...` with captured output; real fetch unless one is given. */
export async function kubeproof(args: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    fetch: (input, init) => fetch(input, init),
    env: {},
    reconnectDelaysMs: [10, 20],
    ...io,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}
