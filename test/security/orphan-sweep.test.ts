/**
 * Leftovers within two minutes of a crash, and never anyone else's: a kubeproof process is
 * killed (SIGKILL) mid-run against the simulated cluster; the namespace it left stops getting
 * heartbeats; the next audit of that cluster (another server on the same database) removes it,
 * records on the interrupted run which namespace it left, and leaves a look-alike namespace
 * (kubeproof's labels, no `kubeproof-` prefix) alone. Heartbeat 1 s and lapse 3 s keep it quick.
 *
 * The killed run must still be alive when the test kills it, whatever the machine's speed: the
 * whole suite against a healthy sim ends in about a second, sometimes before the first renewal
 * of the heartbeat. So the sim's scheduler is down: the web pods stay Pending and
 * workload.rollout waits for them (its 180 s budget) while the heartbeat goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess, KubeObject } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { startServer } from '../../src/server.js';
import {
  EXPIRES_AT_ANNOTATION,
  HEARTBEAT_ANNOTATION,
  MANAGED_BY_LABEL,
  namespaceFor,
  RUN_ID_LABEL,
} from '../../src/workload/names.js';
import { isAbandoned } from '../../src/workload/sweep.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { startServerProcess } from '../support/server-process.js';

const FAST = { KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS: '1', KUBEPROOF_NAMESPACE_LAPSE_SECONDS: '3' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startProcess(dbPath: string) {
  const started = await startServerProcess({ KUBEPROOF_DB: dbPath, ...FAST });
  cleanups.push(() => {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
  });
  return started;
}

const namespaces = async (cluster: ClusterAccess) => (await cluster.list('namespaces')).items;
const named = (items: KubeObject[], name: string) => items.find((n) => n.metadata?.name === name);

describe('orphaned namespaces after a crash', () => {
  it('are removed by the next audit within two minutes; a look-alike without the prefix survives', async () => {
    // kube-scheduler stopped: the run waits in workload.rollout until it is killed (see above).
    const sim: SimCluster = await startSimCluster({ faults: ['scheduler-down'] });
    cleanups.push(() => sim.stop());
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-orphan-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'kubeproof.db');
    const cluster = createClusterAccess(sanitizeKubeconfig(sim.kubeconfig).kubeconfig);
    cleanups.push(() => cluster.close());

    // A look-alike: kubeproof's labels and a long-expired annotation, but not a kubeproof- name.
    const lapsed = new Date(Date.now() - 3_600_000).toISOString();
    await cluster.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'prod-payments',
        labels: { [MANAGED_BY_LABEL]: 'kubeproof', [RUN_ID_LABEL]: 'someone-else' },
        annotations: { [EXPIRES_AT_ANNOTATION]: lapsed, [HEARTBEAT_ANNOTATION]: lapsed },
      },
    });

    const first = await startProcess(dbPath);
    const created = await fetch(`${first.url}/v1/audits?checks=workload.rollout`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: sim.kubeconfig,
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const orphan = namespaceFor(id);
    // Wait for the run's namespace to exist, and for one renewal of its heartbeat.
    const firstBeat = await cluster.waitFor(
      'namespaces',
      {},
      (items) => named([...items], orphan)?.metadata?.annotations?.[HEARTBEAT_ANNOTATION],
      { timeoutMs: 30_000 },
    );
    await cluster.waitFor(
      'namespaces',
      {},
      (items) => {
        const beat = named([...items], orphan)?.metadata?.annotations?.[HEARTBEAT_ANNOTATION];
        return beat && beat !== firstBeat ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );

    first.child.kill('SIGKILL');
    const crashedAt = Date.now();
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(named(await namespaces(cluster), orphan)?.metadata?.deletionTimestamp).toBeUndefined();

    // The next kubeproof on the same database: the run is interrupted and names what it left.
    const second = await startServer(loadConfig({ PORT: '0', KUBEPROOF_DB: dbPath, ...FAST }), { writeLog: () => {} });
    cleanups.push(() => second.stop());
    const base = `http://127.0.0.1:${second.port}`;
    const interrupted = (await (await fetch(`${base}/v1/audits/${id}`)).json()) as Record<string, unknown>;
    expect(interrupted.status).toBe('interrupted');
    expect(JSON.stringify(interrupted)).toContain(orphan);

    // Audits of the same cluster until one has swept it (the first ones may come before the lapse).
    let gone = false;
    while (!gone && Date.now() - crashedAt < 120_000) {
      const res = await fetch(`${base}/v1/audits?checks=preflight.api`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml' },
        body: sim.kubeconfig,
      });
      const run = (await res.json()) as { id: string };
      for (;;) {
        const state = (await (await fetch(`${base}/v1/audits/${run.id}`)).json()) as { status: string };
        if (!['queued', 'running'].includes(state.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const ns = named(await namespaces(cluster), orphan);
      gone = ns === undefined || ns.metadata?.deletionTimestamp !== undefined;
    }
    expect(gone, 'the orphan was removed within two minutes of the crash').toBe(true);
    expect(Date.now() - crashedAt).toBeLessThan(120_000);
    const survivor = named(await namespaces(cluster), 'prod-payments');
    expect(survivor?.metadata?.deletionTimestamp).toBeUndefined();
  }, 180_000);
});

describe('what the sweep takes for abandoned', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const ns = (name: string, labels: Record<string, string>, annotations: Record<string, string>): KubeObject => ({
    metadata: { name, labels, annotations },
  });
  const ours = { [MANAGED_BY_LABEL]: 'kubeproof', [RUN_ID_LABEL]: 'r1' };
  const old = '2026-12-01T09:00:00Z';
  const fresh = '2026-12-01T09:59:50Z';
  const future = '2026-12-01T12:00:00Z';
  it.each([
    [
      'lapsed heartbeat',
      ns('kubeproof-a', ours, { [HEARTBEAT_ANNOTATION]: old, [EXPIRES_AT_ANNOTATION]: future }),
      true,
    ],
    [
      'fresh heartbeat (a live run)',
      ns('kubeproof-a', ours, { [HEARTBEAT_ANNOTATION]: fresh, [EXPIRES_AT_ANNOTATION]: future }),
      false,
    ],
    ['no heartbeat, expired (an older version)', ns('kubeproof-a', ours, { [EXPIRES_AT_ANNOTATION]: old }), true],
    ['no kubeproof- prefix', ns('prod-payments', ours, { [HEARTBEAT_ANNOTATION]: old }), false],
    ['no run id', ns('kubeproof-a', { [MANAGED_BY_LABEL]: 'kubeproof' }, { [HEARTBEAT_ANNOTATION]: old }), false],
    ['not managed by kubeproof', ns('kubeproof-a', { [RUN_ID_LABEL]: 'r1' }, { [HEARTBEAT_ANNOTATION]: old }), false],
  ])('%s → %s', (_name, namespace, abandoned) => {
    expect(isAbandoned(namespace, now, 90_000)).toBe(abandoned);
  });
});
