import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { AuditStore } from '../../src/db/store.js';
import { startServerProcess } from '../support/server-process.js';
import { kubeconfigYaml } from './kubeconfigs.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An "API server" that accepts TCP connections and never answers: every call hangs until aborted. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => sockets.add(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return address.port;
}

/** The server as its own process on `dbPath`, killed after the test. */
async function startProcess(dbPath: string): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const started = startServerProcess({ KUBEPROOF_DB: dbPath });
  const { child } = await started;
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return started;
}

/** Reads the audit's event stream until an event message matches. */
async function untilEvent(url: string, pattern: RegExp): Promise<void> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const decoder = new TextDecoder();
  let seen = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    seen += decoder.decode(chunk, { stream: true });
    if (pattern.test(seen)) break;
  }
  expect(seen).toMatch(pattern);
}

describe('the server process on SIGTERM', () => {
  it('aborts the audit in flight, marks it interrupted and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-sigterm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'kubeproof.db');
    const hangPort = await silentServer();
    const { child, url, logs } = await startProcess(dbPath);

    const created = await fetch(`${url}/v1/audits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kubeconfig: kubeconfigYaml({ server: `https://127.0.0.1:${hangPort}` }),
        checks: ['preflight'],
      }),
    });
    const body = (await created.json()) as { id: string; links: { events: string } };
    expect(created.status, JSON.stringify(body)).toBe(202);
    await untilEvent(`${url}${body.links.events}`, /Check preflight\.api started/);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, logs.join('')).toBe(0);

    const database = openDatabase(dbPath);
    try {
      const run = new AuditStore(database.db).getRun(body.id);
      expect(run?.status, JSON.stringify(run)).toBe('interrupted');
      expect(run?.errorDetail).toContain('shutting down');
      expect(run?.finishedAt).toBeInstanceOf(Date);
    } finally {
      database.close();
    }
  }, 30_000);
});
