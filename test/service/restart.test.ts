import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { ScriptedExecutor } from './fakes.js';
import { call, createHarness, type Harness } from './harness.js';
import { kubeconfigYaml } from './kubeconfigs.js';

const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('restart', () => {
  it('marks an audit left running by a stopped process as interrupted when the server starts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-restart-'));
    dirs.push(dir);
    const dbPath = join(dir, 'kubeproof.db');
    const executor = new ScriptedExecutor([{ id: 'preflight.api', status: 'passed' }], { holdAfter: 0 });
    const held = new Promise<void>((resolve) => {
      executor.onHold = () => resolve();
    });
    const first: Harness = createHarness({ executor, dbPath });
    cleanups.push(first.close);
    const created = await call(first, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    const queued = await call(first, 'POST', '/v1/audits', { json: { kubeconfig: kubeconfigYaml() } });
    await held;
    expect((await call(first, 'GET', created.body.links.self)).body.status).toBe('running');

    // The first process is gone as far as the file knows; the real server starts on the same database.
    const logs: string[] = [];
    const second = await startServer(loadConfig({ PORT: '0', KUBEPROOF_DB: dbPath }), {
      writeLog: (line) => logs.push(line),
    });
    cleanups.push(second.stop);
    for (const id of [created.body.id, queued.body.id]) {
      const res = await fetch(`http://127.0.0.1:${second.port}/v1/audits/${id}`);
      const body = (await res.json()) as { status: string; finishedAt: string | null; errorDetail: string };
      expect(body.status, JSON.stringify(body)).toBe('interrupted');
      expect(body.finishedAt).not.toBeNull();
      expect(body.errorDetail).toContain('stopped');
    }
    expect(logs.join('')).toContain('"count":2');
  });
});
