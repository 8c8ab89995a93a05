/**
 * Supply chain (issue 11 item 8), offline: what `npm ci` checks before it installs anything — the
 * lockfile's root entry says what package.json says, and every optional (platform) dependency of
 * a locked package is itself locked (their absence is what made `npm ci` refuse the lockfile:
 * "Missing: @esbuild/… from lock file") — plus the pinned drizzle-orm fix and no dev-only tool in
 * the production dependencies. CI runs the real `npm ci` (.ci/run); this fails first, and offline.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface LockEntry extends Manifest {
  version?: string;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as T;
const pkg = read<Manifest>('package.json');
const lock = read<{ lockfileVersion: number; packages: Record<string, LockEntry> }>('package-lock.json');

/** Where npm would find `name` for the package at `path`: nested node_modules first, then up to the root. */
function resolves(path: string, name: string): boolean {
  let dir = path;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (dir === '') return false;
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

describe('the committed lockfile', () => {
  it('is a v3 lockfile whose root entry matches package.json', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages[''];
    expect(root?.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
    expect(root?.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
    expect(root?.optionalDependencies ?? {}).toEqual(pkg.optionalDependencies ?? {});
  });

  it('locks every dependency and every optional platform package of every locked package', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const names = [
        ...Object.keys(entry.dependencies ?? {}),
        ...Object.keys(entry.optionalDependencies ?? {}),
        ...(path === '' ? Object.keys(entry.devDependencies ?? {}) : []),
      ];
      for (const name of names) if (!resolves(path, name)) missing.push(`${name} (needed by ${path || 'the root'})`);
    }
    expect(missing).toEqual([]);
  });

  it('pins drizzle-orm at 0.45.2 or later (CVE-2026-39356) and keeps dev-only tools out of production', () => {
    const [major = 0, minor = 0, patch = 0] = (lock.packages['node_modules/drizzle-orm']?.version ?? '0')
      .split('.')
      .map(Number);
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(45_002);
    for (const tool of ['tsx', 'vitest', '@biomejs/biome', 'typescript', 'drizzle-kit'])
      expect(Object.keys(pkg.dependencies ?? {})).not.toContain(tool);
  });
});
