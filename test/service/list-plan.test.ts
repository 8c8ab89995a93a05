/**
 * The list route's query reads an index range for every filter and for a deep cursor: no sort of
 * all matching rows (`USE TEMP B-TREE FOR ORDER BY`), no scan of the table, and the cursor is a
 * row-value comparison the index seeks to.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { listRunsQuery, type RunListFilter } from '../../src/db/queries/runs.js';

const planOf = (filter: RunListFilter) => {
  const { db, sqlite, close } = openDatabase(':memory:');
  try {
    const { sql, params } = listRunsQuery(db, filter).toSQL();
    return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('\n');
  } finally {
    close();
  }
};

const after = { createdAt: new Date('2026-01-01T00:00:00Z'), id: 'b' };

describe('the list query plan', () => {
  it.each([
    ['no filter', {}, 'audit_runs_created_idx'],
    ['status', { status: 'passed' as const }, 'audit_runs_status_created_idx'],
    ['server', { server: 'https://10.0.0.1:6443' }, 'audit_runs_server_created_idx'],
    ['tenant', { owner: 'team-a' }, 'audit_runs_owner_created_idx'],
    // A label filter cannot use an index of its own; it still walks the newest-first index.
    ['label', { labels: [['pipeline', 'nightly']] as Array<[string, string]> }, 'audit_runs_created_idx'],
  ])('%s, first page and past a cursor: an index range, no sort', (_name, filter, index) => {
    for (const f of [filter, { ...filter, after }]) {
      const plan = planOf({ ...f, limit: 21 });
      expect(plan, plan).toContain(`USING INDEX ${index}`);
      expect(plan, plan).not.toContain('TEMP B-TREE');
    }
    // Past a cursor the index is searched from the cursor on, not scanned from the newest row.
    const deep = planOf({ ...filter, after, limit: 21 });
    expect(deep, deep).toMatch(
      new RegExp(`SEARCH audit_runs USING INDEX ${index} \\(.*\\(created_at,id\\)<\\(\\?,\\?\\)\\)`),
    );
  });
});
