/**
 * A TypeScript client generated from the committed openapi/openapi.json (openapi-typescript), used
 * through openapi-fetch by a small client (test/openapi/client/kubeproof-client.ts.txt) that must
 * type-check with tsc — and a misuse of it must not — then drives full audits against a real
 * service on loopback and the simulated cluster: create, follow the events, the report in every
 * format, and cancel a second run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type AuditReport, REPORT_FORMAT_NAMES } from '../../src/report/index.js';
import type { AuditRun } from '../../src/report/schema.js';
import { startServer } from '../../src/server.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'kubeproof-client-'));
const TOKEN = 'client-test-token-0123456789abcdef';

const tsc = (project: string) =>
  spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', project], { encoding: 'utf8', timeout: 240_000 });

function tsconfig(name: string, files: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom', 'dom.iterable'],
        types: [],
        skipLibCheck: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
      },
      files,
    }),
  );
  return file;
}

/**
 * What this test uses of the generated-types client (client.ts is compiled by tsc above, not by
 * the repository's tsconfig, since its api.d.ts exists only in the temp directory).
 */
interface Client {
  health(): Promise<string>;
  listChecks(): Promise<string[]>;
  create(kubeconfig: string, checks: string[]): Promise<{ id: string; status: string }>;
  get(id: string): Promise<AuditRun>;
  follow(id: string): Promise<{ events: string[]; status: string }>;
  eventsJson(id: string): Promise<{ status: string; done: boolean; messages: string[] }>;
  reportJson(id: string): Promise<AuditReport>;
  reportText(id: string, format: 'junit' | 'markdown'): Promise<{ contentType: string; body: string }>;
  cancel(id: string): Promise<string>;
}
interface ClientModule {
  kubeproofClient(baseUrl: string, token?: string): Client;
}
let client: Client;
let stopService: (() => Promise<void>) | undefined;
const sims: SimCluster[] = [];

beforeAll(async () => {
  // The generated client lives outside the repository, with the repository's node_modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const gen = spawnSync(
    path.join(ROOT, 'node_modules/.bin/openapi-typescript'),
    [path.join(ROOT, 'openapi/openapi.json'), '--output', path.join(dir, 'api.d.ts')],
    // Run from the temp directory: in the repository it would read redocly.yaml's `apis` instead.
    { cwd: dir, encoding: 'utf8', timeout: 240_000 },
  );
  if (gen.status !== 0) throw new Error(`openapi-typescript failed: ${gen.stdout}${gen.stderr}`);
  copyFileSync(path.join(import.meta.dirname, 'client/kubeproof-client.ts.txt'), path.join(dir, 'client.ts'));
  copyFileSync(path.join(import.meta.dirname, 'client/misuse.ts.txt'), path.join(dir, 'misuse.ts'));

  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', KUBEPROOF_DB: ':memory:', KUBEPROOF_API_TOKENS: `ci:${TOKEN}` }),
    { writeLog: () => undefined },
  );
  stopService = server.stop;
  const mod = (await import(path.join(dir, 'client.ts'))) as ClientModule;
  client = mod.kubeproofClient(`http://127.0.0.1:${server.port}`, TOKEN);
}, 300_000);

afterAll(async () => {
  await stopService?.();
  for (const sim of sims) await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the generated TypeScript client', { timeout: 300_000 }, () => {
  it('type-checks with tsc against the generated types; a misuse does not', () => {
    const ok = tsc(tsconfig('tsconfig.json', ['client.ts']));
    expect(ok.status, `${ok.stdout}${ok.stderr}`).toBe(0);
    const bad = tsc(tsconfig('tsconfig.misuse.json', ['misuse.ts']));
    expect(bad.status).not.toBe(0);
    const errors = `${bad.stdout}${bad.stderr}`;
    expect(errors).toMatch(/misuse\.ts\(7,/); // path parameter idd
    expect(errors).toMatch(/misuse\.ts\(8,/); // format pdf
    expect(errors).toMatch(/misuse\.ts\(9,/); // body kubeconfigg
  });

  it('drives a full audit of the simulated cluster: create, follow, every report format', async () => {
    const sim = await startSimCluster();
    sims.push(sim);
    expect(await client.health()).toBe('ok');
    const catalog = await client.listChecks();
    expect(catalog).toContain('service.loadbalancing');

    const created = await client.create(sim.kubeconfig, ['smoke']);
    expect(created.status).toBe('queued');
    const followed = await client.follow(created.id);
    expect(followed.events).toContain('progress');
    expect(followed.events.at(-1)).toBe('end');
    expect(followed.status).toBe('passed');

    const run = await client.get(created.id);
    expect(run.status).toBe('passed');
    expect(run.checks.map((c) => c.id)).toEqual(catalog.filter((id) => run.checks.some((c) => c.id === id)));

    // Every format the service has (the registry), through the typed client.
    expect(REPORT_FORMAT_NAMES).toEqual(['json', 'junit', 'markdown']);
    const report = await client.reportJson(created.id);
    expect(report.audit.id).toBe(created.id);
    expect(report.rootCauses).toEqual([]);
    expect(report.table.find((r) => r.checkId === 'service.loadbalancing')?.status).toBe('passed');
    const junit = await client.reportText(created.id, 'junit');
    expect(junit.contentType).toContain('application/xml');
    expect(junit.body).toContain('<testsuite name="smoke"');
    const markdown = await client.reportText(created.id, 'markdown');
    expect(markdown.contentType).toContain('text/markdown');
    expect(markdown.body).toContain(`# kubeproof audit ${created.id}: passed`);
    const events = await client.eventsJson(created.id);
    expect(events.done).toBe(true);
    expect(events.messages.some((m) => m.includes('service.loadbalancing'))).toBe(true);
  });

  it('cancels a second run while it waits on pods, and the stream ends cancelled', async () => {
    const slow = await startSimCluster({ latencies: { podStartMs: 600_000 } });
    sims.push(slow);
    const created = await client.create(slow.kubeconfig, ['smoke']);
    // Wait (by condition, no fixed sleep) until the rollout check is running.
    const deadline = Date.now() + 240_000;
    while (!(await client.eventsJson(created.id)).messages.some((m) => m.includes('workload.rollout started'))) {
      if (Date.now() > deadline) throw new Error('the second run never started its rollout');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(['cancelling', 'cancelled']).toContain(await client.cancel(created.id));
    const followed = await client.follow(created.id);
    expect(followed.status).toBe('cancelled');
    const run = await client.get(created.id);
    expect(run.status).toBe('cancelled');
    const junit = await client.reportText(created.id, 'junit');
    expect(junit.body).toContain('<testsuites');
  });
});
