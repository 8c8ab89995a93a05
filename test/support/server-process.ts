import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts `src/server.ts` as its own process (PORT 0, HOST 127.0.0.1, plus `env`) and resolves
 * with its URL once it logs that it listens. The caller kills it (`child.kill`).
 */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      logs.push(chunk);
      const listening = /"msg":"kubeproof listening".*?"url":"([^"]+)"/.exec(logs.join(''));
      if (listening?.[1]) resolve(listening[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code} before listening:\n${logs.join('')}`)));
  });
  return { child, url, logs };
}
