/**
 * `kubectl port-forward` as a background process (tests only): start it on a free loopback port,
 * wait until it says it is forwarding, send HTTP through it, stop it. Everything stays on
 * 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { type Kubectl, kubectlPath } from './kubectl.test-helper.js';

/** A port nothing listens on right now (the kernel's choice, released at once). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PortForwardProcess {
  /** What kubectl printed so far (stdout then stderr). */
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr matches, rejects (with the output) if kubectl exits first or at the deadline. */
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startPortForward(k: Kubectl, args: string[], extraEnv: NodeJS.ProcessEnv = {}): PortForwardProcess {
  const child = spawn(kubectlPath, ['port-forward', ...args], { env: { ...k.env, ...extraEnv } });
  let stdout = '';
  let stderr = '';
  let exited: number | null | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    notify();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    notify();
  });
  const closed = new Promise<void>((resolve) =>
    child.on('close', (code) => {
      exited = code;
      notify();
      resolve();
    }),
  );
  return {
    output: () => ({ stdout, stderr }),
    waitFor(pattern, deadlineMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`kubectl port-forward never printed ${pattern}`)), deadlineMs);
        const finish = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(new Error(`${err.message}\nexit: ${exited}\nstdout: ${stdout}\nstderr: ${stderr}`));
          else resolve();
        };
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) finish();
          else if (exited !== undefined) finish(new Error(`kubectl port-forward exited before printing ${pattern}`));
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (exited === undefined) child.kill('SIGINT');
      await closed;
    },
  };
}

/** GET http://127.0.0.1:<port><path> with a fresh connection; status and body. */
export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} through port ${port} timed out`)));
    req.on('error', reject);
  });
}
