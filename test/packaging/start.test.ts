/**
 * README's start command as an operator (or a container's PID 1) runs it: `npm start` builds,
 * then runs the compiled server with plain node — no tsx, no shell left between npm and the
 * server — and SIGTERM to npm's process tree stops the server.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kubeproof-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Direct children of a process, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe('npm start', () => {
  it('runs the compiled server under plain node and stops on SIGTERM to the tree', { timeout: 240_000 }, async () => {
    const npm = spawn('npm', ['start'], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KUBEPROOF_DB: join(dir, 'kubeproof.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (c: string) => {
      output += c;
    });
    const url = await new Promise<string>((resolve, reject) => {
      npm.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const listening = /"msg":"kubeproof listening".*?"url":"([^"]+)"/.exec(output);
        if (listening?.[1]) resolve(listening[1]);
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited ${code} before listening:\n${output}`)));
    });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // npm → node dist/server.js: `exec` replaced the script shell, and nothing runs through tsx.
      const [server, ...others] = childrenOf(npm.pid!);
      expect(others).toEqual([]);
      const argv = cmdline(server!);
      expect(argv.slice(1)).toEqual(['dist/server.js']);
      expect(argv.join(' ')).not.toContain('tsx');

      const exited = once(npm, 'exit');
      process.kill(npm.pid!, 'SIGTERM');
      await exited;
      // The server went with npm: its port refuses connections and the process is gone.
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(() => readFileSync(`/proc/${server}/cmdline`)).toThrow();
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  });
});
