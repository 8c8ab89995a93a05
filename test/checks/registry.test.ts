/** The check registry is the one list: README's table and the catalog follow it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogChecks, createCatalog } from '../../src/checks/catalog.js';
import { CHECKS } from '../../src/checks/index.js';
import { PREFLIGHT_ID } from '../../src/checks/preflight/api.js';
import { COMPONENTS } from '../../src/kernel/guide.js';
import { CHECK_GROUPS } from '../../src/kernel/vocabulary.js';

const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The check ids in the first column of README's "What is checked" table, in order. */
function readmeCheckIds(): string[] {
  const section = README.slice(README.indexOf('## What is checked'));
  const table = section.slice(section.indexOf('| check'));
  const lines = table.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('|'));
  return lines
    .slice(2, end)
    .map((line) => /^\|\s*`([^`]+)`/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
}

describe('check registry', () => {
  const checks = catalogChecks();

  it('lists every check once, each in a known group, with known prerequisites and component', () => {
    const ids = checks.map((c) => c.id);
    expect(ids).toHaveLength(CHECKS.length);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of checks) {
      expect(CHECK_GROUPS, c.id).toContain(c.group);
      expect(Object.keys(COMPONENTS), c.id).toContain(c.component);
      for (const p of c.prerequisites) expect(ids, `${c.id} needs ${p}`).toContain(p);
    }
  });

  it('makes every check depend on preflight.api, so the permission review runs first in every plan', () => {
    const byId = new Map(checks.map((c) => [c.id, c]));
    const reaches = (id: string, seen = new Set<string>()): boolean =>
      id === PREFLIGHT_ID ||
      (!seen.has(id) && (byId.get(id)?.prerequisites ?? []).some((p) => reaches(p, seen.add(id))));
    expect(checks[0]?.id).toBe(PREFLIGHT_ID);
    expect(checks.filter((c) => !reaches(c.id)).map((c) => c.id)).toEqual([]);
    expect(byId.get(PREFLIGHT_ID)?.prerequisites).toEqual([]);
  });

  it('is what GET /v1/checks serves', () => {
    expect(
      createCatalog()
        .list()
        .map((e) => e.id),
    ).toEqual(checks.map((c) => c.id));
  });

  it("matches README's check table, row for row", () => {
    expect(readmeCheckIds()).toEqual(checks.map((c) => c.id));
  });
});
