/**
 * The run's namespace is a step of the engine, not of the web workload: secrets.encryption,
 * which needs a namespace and no pod, gets its verdict whatever happens to the Deployment, and
 * the namespace is deleted whenever it was created.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultSpec, type SimCluster, type SimClusterOptions, startSimCluster } from '../sim/index.js';
import { AFTER_ROLLOUT, SMOKE_SUITE } from './support/check-ids.js';
import { type AuditRun, explain, kubeproofNamespaces, runAudit, statusVector } from './support/sim-audit.js';

const ENCRYPTED: SimClusterOptions = { encryption: { provider: 'aescbc', keyName: 'key1' } };
const ALL = [...SMOKE_SUITE, 'secrets.encryption'];

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function encryptedSim(faults: FaultSpec[] = []): Promise<SimCluster> {
  sim = await startSimCluster({ ...ENCRYPTED, faults });
  return sim;
}

const audit = (cluster: SimCluster, opts: Parameters<typeof runAudit>[1] = {}) =>
  runAudit(cluster, { selection: ['smoke', 'encryption'], ...opts });

/** Listed ids with their status, every other check of the run passed. */
function vector(statuses: { failed?: string[]; skipped?: string[]; error?: string[] }): Record<string, string> {
  const v: Record<string, string> = Object.fromEntries(ALL.map((id) => [id, 'passed']));
  for (const [status, ids] of Object.entries(statuses)) for (const id of ids ?? []) v[id] = status;
  return v;
}

/** Resolves objects of `resource` created in a kubeproof namespace while `body` runs. */
async function createdDuring<T>(cluster: SimCluster, resource: string, body: () => Promise<T>) {
  const created: string[] = [];
  const stop = cluster.store.watch(resource, undefined, (event) => {
    const ns = event.object.metadata.namespace ?? '';
    if (event.type === 'ADDED' && ns.startsWith('kubeproof-')) created.push(`${ns}/${event.object.metadata.name}`);
  });
  try {
    return { result: await body(), created };
  } finally {
    stop();
  }
}

function expectEncryptionPassedInRunNamespace(run: AuditRun) {
  const result = run.results.get('secrets.encryption');
  const body = JSON.stringify(result, null, 1);
  expect(result?.status, body).toBe('passed');
  expect(result?.evidence, body).toMatchObject({ provider: 'aescbc', keyName: 'key1' });
  expect((result?.evidence.secret as { namespace?: string })?.namespace, body).toBe(run.cleanup.namespace);
}

describe('secrets.encryption does not depend on the web Deployment rolling out', () => {
  it('passes alongside the whole smoke suite on a healthy cluster, in the same run namespace', async () => {
    const run = await audit(await encryptedSim());
    expect(statusVector(run), explain(run)).toEqual(vector({}));
    expectEncryptionPassedInRunNamespace(run);
    expect(run.results.get('workload.rollout')?.evidence.namespace).toBe(run.cleanup.namespace);
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
    expect(kubeproofNamespaces(sim!)).toEqual([]);
  });

  for (const fault of ['scheduler-down', 'cni-down'] as const) {
    it(`${fault}: passes secrets.encryption while workload.rollout fails and its dependents are skipped`, async () => {
      const run = await audit(await encryptedSim([fault]));
      expect(statusVector(run), explain(run)).toEqual(vector({ failed: ['workload.rollout'], skipped: AFTER_ROLLOUT }));
      for (const id of AFTER_ROLLOUT) expect(run.results.get(id)?.blockedBy?.length, explain(run)).toBeGreaterThan(0);
      expect(run.results.get('secrets.encryption')?.blockedBy, explain(run)).toBeUndefined();
      expectEncryptionPassedInRunNamespace(run);
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
      expect(kubeproofNamespaces(sim!)).toEqual([]);
    });
  }
});

describe('an audit of the encryption group alone', () => {
  it('creates the run namespace without any workload in it, passes, and leaves no namespace', async () => {
    const cluster = await encryptedSim();
    const runId = 'e1c0ffee-0000-4000-8000-000000000001';
    const { result: run, created } = await createdDuring(cluster, 'pods', () =>
      audit(cluster, { selection: ['encryption'], runId }),
    );
    expect(run.started, explain(run)).toEqual(['preflight.api', 'secrets.encryption']);
    expect(statusVector(run), explain(run)).toEqual({ 'preflight.api': 'passed', 'secrets.encryption': 'passed' });
    expectEncryptionPassedInRunNamespace(run);
    expect(created, 'no pod belongs in a namespace-only run').toEqual([]);
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ namespace: 'kubeproof-e1c0ffee', deleted: true });
    expect(kubeproofNamespaces(cluster)).toEqual([]);
  });

  it('runs no deployment either, and sweeps expired kubeproof namespaces before creating its own', async () => {
    const cluster = await encryptedSim();
    cluster.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'kubeproof-crashed1',
        labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': 'crashed1' },
        annotations: { 'kubeproof.io/expires-at': new Date(Date.now() - 60_000).toISOString() },
      },
    });
    const { result: run, created } = await createdDuring(cluster, 'deployments', () =>
      audit(cluster, { selection: ['secrets.encryption'] }),
    );
    expect(created).toEqual([]);
    expect(run.results.get('secrets.encryption')?.status, explain(run)).toBe('passed');
    expect(run.events.map((e) => e.message)).toContain('removed expired kubeproof namespaces: kubeproof-crashed1');
    expect(kubeproofNamespaces(cluster), 'the crashed run’s namespace was swept').toEqual([]);
  });

  it('ends as error, not passed, and still deletes the namespace when the run is cancelled as it is created', async () => {
    const cluster = await encryptedSim();
    const cancel = new AbortController();
    const stopWatching = cluster.store.watch('namespaces', undefined, (event) => {
      if (event.type === 'ADDED' && event.object.metadata.name.startsWith('kubeproof-'))
        cancel.abort(new Error('cancel'));
    });
    try {
      const run = await audit(cluster, { selection: ['encryption'], signal: cancel.signal });
      expect(run.results.get('secrets.encryption')?.status, explain(run)).toBe('error');
      expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
      expect(kubeproofNamespaces(cluster)).toEqual([]);
    } finally {
      stopWatching();
    }
  });
});

describe('when the run namespace cannot be created', () => {
  it('gives error (never failed) to every check that needs it when RBAC refuses namespaces, and creates nothing', async () => {
    const run = await audit(await encryptedSim(['rbac-missing:create:namespaces']));
    expect(statusVector(run), explain(run)).toEqual(
      vector({ error: ['preflight.api', 'workload.rollout', 'secrets.encryption'], skipped: AFTER_ROLLOUT }),
    );
    expect(run.results.get('secrets.encryption')?.summary, explain(run)).toContain('cannot create namespaces');
    expect(run.cleanup, JSON.stringify(run.cleanup)).toEqual({ deleted: true, detail: 'no namespace was created' });
    expect(kubeproofNamespaces(sim!)).toEqual([]);
  });

  it('gives error to secrets.encryption and leaves alone a namespace of the same name another run owns', async () => {
    const cluster = await encryptedSim();
    const otherRun = '0badcafe-1111-4111-8111-111111111111';
    cluster.store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'kubeproof-0badcafe',
        labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': otherRun },
        annotations: { 'kubeproof.io/expires-at': new Date(Date.now() + 3600_000).toISOString() },
      },
    });
    const run = await audit(cluster, { selection: ['encryption'], runId: '0badcafe-2222-4222-8222-222222222222' });
    const result = run.results.get('secrets.encryption');
    expect(result?.status, explain(run)).toBe('error');
    expect(result?.summary, explain(run)).toContain('kubeproof-0badcafe already exists and belongs to another run');
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({
      deleted: true,
      detail: expect.stringContaining('belongs to another run'),
    });
    const survivor = cluster.store.get('namespaces', undefined, 'kubeproof-0badcafe');
    expect(survivor?.metadata.deletionTimestamp, 'the other run’s namespace was deleted').toBeUndefined();
  });
});
