/**
 * The bundled server (scripts/bundle-server.mjs, what `npm run build` makes of dist/server.js):
 * bundled into a directory of its own beside links to the repository's migrations and
 * node_modules, it starts with plain node, finds its migrations, and runs a smoke audit of the
 * simulated cluster to `passed` — exec, port-forward and logs through the bundled cluster client.
 * Only the packages meant to stay external are imported from node_modules.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const tree = mkdtempSync(join(tmpdir(), 'kubeproof-bundle-'));
const outdir = join(tree, 'dist');
let server: ChildProcess | undefined;
let sim: SimCluster | undefined;

beforeAll(async () => {
  // Node reads the bundle as an ES module by the nearest package.json, as in the repository.
  writeFileSync(join(tree, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'));
  symlinkSync(join(REPO, 'migrations'), join(tree, 'migrations'));
  mkdirSync(join(tree, 'data'));
  await promisify(execFile)(process.execPath, [join(REPO, 'scripts/bundle-server.mjs'), '--outdir', outdir], {
    cwd: REPO,
  });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
  await sim?.stop();
  rmSync(tree, { recursive: true, force: true });
}, 60_000);

/** Package names the bundle's files import (static imports and import()), node built-ins aside. */
function importedPackages(): Set<string> {
  const files = [
    join(outdir, 'server.js'),
    ...readdirSync(join(outdir, 'server-chunks')).map((f) => join(outdir, 'server-chunks', f)),
  ];
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:^import[^;]*?\bfrom\s*|\bimport\(\s*)"([^"]+)"/gm)) {
      if (spec!.startsWith('.') || spec!.startsWith('node:')) continue;
      const parts = spec!.split('/');
      found.add(spec!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return found;
}

const BUILTINS = new Set([
  'crypto',
  'http',
  'http2',
  'stream',
  'url',
  'vm',
  'fs',
  'path',
  'os',
  'net',
  'tls',
  'events',
  'util',
  'zlib',
]);

describe('the bundled server', () => {
  it('imports from node_modules only what stays external', () => {
    const packages = [...importedPackages()].filter((p) => !BUILTINS.has(p)).sort();
    expect(packages).toEqual(['better-sqlite3', 'etcd3']);
  });

  it('starts with plain node and runs a smoke audit of the simulated cluster to passed', {
    timeout: 240_000,
  }, async () => {
    sim = await startSimCluster();
    server = spawn(process.execPath, [join(outdir, 'server.js')], {
      cwd: tree,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        KUBEPROOF_DB: join(tree, 'data', 'kubeproof.db'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      server!.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const listening = /"msg":"kubeproof listening".*?"url":"([^"]+)"/.exec(output);
        if (listening?.[1]) resolve(listening[1]);
      });
      server!.once('exit', (code) => reject(new Error(`the bundle exited ${code} before listening:\n${output}`)));
    });
    // Prefer: wait answers with the finished audit (200) when it ends within the wait, else 202.
    const created = await fetch(`${url}/v1/audits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=120' },
      body: JSON.stringify({ kubeconfig: sim.kubeconfig, checks: ['smoke'] }),
    });
    const run = (await created.json()) as { status: string; checks: Array<{ id: string; status: string }> };
    expect(created.status, JSON.stringify(run)).toBe(200);
    expect(run.status, JSON.stringify(run.checks.filter((r) => r.status !== 'passed'))).toBe('passed');
    expect(run.checks.map((r) => r.id)).toEqual(expect.arrayContaining(['pods.exec', 'pods.portforward', 'pods.logs']));
  });
});
