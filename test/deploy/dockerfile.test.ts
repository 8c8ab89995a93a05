/**
 * The Dockerfile's build and run steps, performed without a Docker engine (none runs here): each
 * stage gets a clean directory standing for its filesystem; COPY, WORKDIR, ENV and RUN are carried
 * out as written; the final stage's CMD starts as its USER with its ENV (only PORT, and the API
 * token an operator must give for HOST=0.0.0.0, added), writing only to its VOLUME; then the
 * HEALTHCHECK command runs. Slow (two `npm ci`, one building better-sqlite3), so it runs in CI
 * (see test/support/slow-tests.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_SLOW_TESTS } from '../support/slow-tests.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUN = RUN_SLOW_TESTS;
const sh = promisify(execFile);

interface Stage {
  name: string;
  workdir: string;
  env: Record<string, string>;
  steps: Array<{ op: string; args: string }>;
  user?: string;
  volumes: string[];
  cmd?: string[];
  healthcheck?: string[];
}

/** The Dockerfile as instructions per stage (line continuations joined, comments dropped, ARGs substituted). */
export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const value = rest.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
    const stage = stages.at(-1);
    if (op === 'ARG') {
      const [k = '', v = ''] = value.split('=');
      args[k] = v;
    } else if (op === 'FROM') {
      const name = / AS (\S+)$/i.exec(value)?.[1] ?? String(stages.length);
      stages.push({ name, workdir: '/', env: {}, steps: [], volumes: [] });
    } else if (!stage) throw new Error(`${op} before FROM`);
    else if (op === 'ENV') for (const [, k, v] of value.matchAll(/(\w+)=(\S+)/g)) stage.env[k!] = v!;
    else if (op === 'WORKDIR') stage.workdir = value;
    else if (op === 'USER') stage.user = value;
    else if (op === 'VOLUME') stage.volumes.push(...(JSON.parse(value) as string[]));
    else if (op === 'CMD') stage.cmd = JSON.parse(value);
    else if (op === 'HEALTHCHECK') stage.healthcheck = JSON.parse(value.slice(value.indexOf('CMD') + 3).trim());
    else if (op === 'COPY' || op === 'RUN') stage.steps.push({ op, args: value });
    else if (op !== 'EXPOSE') throw new Error(`unhandled Dockerfile instruction ${op}`);
  }
  return stages;
}

const work = mkdtempSync(join(tmpdir(), 'kubeproof-docker-'));
chmodSync(work, 0o755);
const children: ChildProcess[] = [];
// Three stages' node_modules: removing them takes a while on a loaded machine.
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}, 10 * 60_000);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

describe.skipIf(!RUN)('Dockerfile', () => {
  it('builds in clean directories and runs as its user, healthy, writing only to its volume', {
    timeout: 30 * 60_000,
  }, async () => {
    const stages = parseDockerfile(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').filter(Boolean);
    const rootOf = (name: string) => join(work, name);
    const inRoot = (stage: Stage, path: string) =>
      join(rootOf(stage.name), isAbsolute(path) ? path : join(stage.workdir, path));
    for (const stage of stages) {
      mkdirSync(inRoot(stage, '.'), { recursive: true });
      for (const step of stage.steps) {
        if (step.op === 'RUN') {
          await sh('sh', ['-c', step.args], {
            cwd: inRoot(stage, '.'),
            env: { ...process.env, ...stage.env, CI: '' },
            maxBuffer: 64 << 20,
          });
          continue;
        }
        const parts = step.args.split(/\s+/);
        const from = parts[0]?.startsWith('--from=') ? parts.shift()!.slice(7) : undefined;
        const dest = parts.pop()!;
        for (const src of parts) {
          if (!from && ignored.some((i) => src === i || src.startsWith(`${i}/`)))
            throw new Error(`COPY ${src} is in .dockerignore`);
          const source = from ? inRoot(stages.find((s) => s.name === from)!, src) : join(REPO, src);
          const target = dest.endsWith('/') ? join(inRoot(stage, dest), src.split('/').pop()!) : inRoot(stage, dest);
          cpSync(source, target, { recursive: true });
        }
      }
    }
    const final = stages.at(-1)!;
    expect(final.user).toBe('1000:1000');
    expect(final.cmd).toEqual(['node', 'dist/server.js']);
    // Everything the image holds belongs to root: the process (uid 1000) cannot write it.
    const [uid, gid] = final.user!.split(':').map(Number) as [number, number];
    for (const volume of final.volumes) {
      mkdirSync(inRoot(final, volume), { recursive: true });
      chownSync(inRoot(final, volume), uid, gid);
    }
    for (const dir of [work, rootOf(final.name)]) chmodSync(dir, 0o755);
    const mapped = Object.fromEntries(
      Object.entries(final.env).map(([k, v]) => [
        k,
        final.volumes.some((vol) => v.startsWith(`${vol}/`)) ? inRoot(final, v) : v,
      ]),
    );
    const port = String(await freePort());
    const env = {
      PATH: process.env.PATH ?? '',
      ...mapped,
      PORT: port,
      KUBEPROOF_API_TOKENS: 'ops:kp-image-test-token-0123456789',
    };
    const asUser = (argv: string[]) =>
      spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ...argv], {
        cwd: inRoot(final, '.'),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const server = asUser(final.cmd!);
    children.push(server);
    let log = '';
    server.stderr?.setEncoding('utf8').on('data', (c: string) => {
      log += c;
    });
    await new Promise<void>((resolve, reject) => {
      server.stderr?.on('data', () => log.includes('kubeproof listening') && resolve());
      server.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
    });
    const health = asUser(final.healthcheck!);
    const [healthCode] = (await once(health, 'exit')) as [number];
    expect(healthCode, log).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    // SIGTERM to the process (PID 1 in the container) stops it cleanly.
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
