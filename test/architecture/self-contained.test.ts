/**
 * Nothing of the product points outside the repository: a contributor's clone has no `shared/`
 * folder beside it (the planning notes and references live elsewhere), so no test, script or
 * doc may read or cite one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** A path into a sibling `shared/` folder, however it is written. */
const OUTSIDE = /(\.\.\/|\/work\/|\()shared\/[A-Z-]+\.md|\.\.\/shared\b/;

describe('a clone is self-contained', () => {
  it('has no tracked file that refers to a shared/ folder beside the repository', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|md|sh|py|json|cjs|yaml|yml)$/.test(f) && f !== 'package-lock.json')
      // This file names such references on purpose, to show the pattern catches them.
      .filter((f) => f !== 'test/architecture/self-contained.test.ts');
    const offending = files.filter((f) => {
      try {
        return OUTSIDE.test(readFileSync(path.join(ROOT, f), 'utf8'));
      } catch {
        return false;
      }
    });
    expect(offending).toEqual([]);
  });

  it('would notice such a reference', () => {
    expect(OUTSIDE.test('see ../shared/REAL-SYMPTOMS.md')).toBe(true);
    expect(OUTSIDE.test('(shared/REAL-SYMPTOMS.md)')).toBe(true);
    expect(OUTSIDE.test('/work/shared/REAL-SYMPTOMS.md')).toBe(true);
    expect(OUTSIDE.test('docs/real-symptoms.md')).toBe(false);
  });
});
