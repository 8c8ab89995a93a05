/**
 * The database as the service opens it: WAL, and commits that do not wait for an fsync each
 * (synchronous NORMAL: better-sqlite3 commits on the event loop, see src/db/client.ts), with the
 * migrations found and applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase } from '../../src/db/client.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the service database', () => {
  it('is in WAL mode with synchronous NORMAL, migrated from the repository migrations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-db-'));
    dirs.push(dir);
    const { sqlite, close } = openDatabase(join(dir, 'kubeproof.db'));
    try {
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      // 1 = NORMAL (0 OFF, 2 FULL, 3 EXTRA).
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
      expect(MIGRATIONS_FOLDER).toBe(fileURLToPath(new URL('../../migrations', import.meta.url)));
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['audit_runs', 'check_results']));
    } finally {
      close();
    }
  });
});
