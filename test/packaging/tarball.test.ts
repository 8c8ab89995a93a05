/**
 * The package as users install it: `npm pack`, then `npm install -g` into a temporary prefix and
 * `npx` of the tarball, each run from a directory outside the checkout. Only the npm registry is
 * reached (for the dependencies). Slow (it builds better-sqlite3 from source), so it runs in CI
 * (see test/support/slow-tests.ts).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFixture } from '../cli/support.js';
import { RUN_SLOW_TESTS } from '../support/slow-tests.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUN = RUN_SLOW_TESTS;
const run = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code and output whatever the code. */
async function sh(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      env: { ...process.env, CI: '', KUBEPROOF_URL: '', ...env },
      maxBuffer: 64 << 20,
      timeout: 15 * 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const work = mkdtempSync(join(tmpdir(), 'kubeproof-pack-'));
const elsewhere = join(work, 'elsewhere');
const fx = new CliFixture();
let tarball: string;

beforeAll(async () => {
  if (!RUN) return;
  // Pack from a copy, so the checkout's own dist/ is left alone (prepack empties and rebuilds it).
  const copy = join(work, 'tree');
  mkdirSync(copy);
  for (const entry of [
    'src',
    'migrations',
    'openapi',
    'scripts',
    'package.json',
    'README.md',
    'LICENSE',
    'tsconfig.json',
    'tsconfig.build.json',
  ])
    cpSync(join(REPO, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'));
  const packed = await sh('npm', ['pack', '--pack-destination', work], copy);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(elsewhere);
}, 15 * 60_000);
afterAll(async () => {
  await fx.close();
  rmSync(work, { recursive: true, force: true });
}, 10 * 60_000);

describe.skipIf(!RUN)('the packed tarball', () => {
  it('holds only dist/, the migrations, the OpenAPI document, README and LICENSE', async () => {
    const { stdout } = await sh('tar', ['tzf', tarball], work);
    const files = stdout.split('\n').filter(Boolean);
    const outside = files.filter(
      (f) =>
        !/^package\/(dist\/.+\.(js|d\.ts)|migrations\/.+|openapi\/openapi\.json|README\.md|LICENSE|package\.json)$/.test(
          f,
        ),
    );
    expect(outside).toEqual([]);
    expect(files).toContain('package/dist/cli/index.js');
    expect(files.some((f) => f.startsWith('package/migrations/'))).toBe(true);
    expect(files.some((f) => f.includes('.test.'))).toBe(false);
  });

  it('npm install -g: `kubeproof` works from any directory, in-process against the simulated cluster', {
    timeout: 15 * 60_000,
  }, async () => {
    const prefix = join(work, 'prefix');
    const installed = await sh(
      'npm',
      ['install', '-g', '--prefix', prefix, '--allow-scripts=better-sqlite3', '--no-audit', '--no-fund', tarball],
      elsewhere,
    );
    expect(installed.code, installed.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'kubeproof');
    const help = await sh(bin, ['--help'], elsewhere);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: kubeproof audit');
    const bad = await sh(bin, ['audit', '--colour'], elsewhere);
    expect(bad.code).toBe(3);
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const sim = await fx.sim({ encryption: { provider: 'aescbc', keyName: 'key1' } });
    const kubeconfig = join(elsewhere, 'kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
    const audit = await sh(bin, ['audit', '--junit', 'kubeproof.xml', '--progress', 'plain'], elsewhere, {
      KUBECONFIG: kubeconfig,
    });
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stderr).toContain('running in-process');
    expect(audit.stderr).toContain(`report written to kubeproof.xml`);
  });

  it('npx ./kubeproof-*.tgz: the bin runs (here against a service, which needs no native module)', {
    timeout: 15 * 60_000,
  }, async () => {
    const service = await fx.service();
    const sim = await fx.sim();
    const kubeconfig = join(elsewhere, 'npx-kubeconfig');
    writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
    // Install scripts off: the CLI loads the database driver only for in-process audits.
    const env = { npm_config_ignore_scripts: 'true' };
    // npx takes a tarball given as a relative path (`./x.tgz`, `../x.tgz`) as a package to install.
    const spec = `../${tarball.split('/').pop()}`;
    const help = await sh('npx', ['--yes', spec, '--help'], elsewhere, env);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: kubeproof audit');
    const audit = await sh(
      'npx',
      ['--yes', spec, 'audit', '--kubeconfig', kubeconfig, '--server', service.url, '--checks', 'nodes.ready'],
      elsewhere,
      env,
    );
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stderr).toContain(`queued on ${service.url}`);
  });
});
