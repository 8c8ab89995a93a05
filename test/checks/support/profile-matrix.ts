/**
 * The profile × fault matrix: on every simulated kind of cluster (test/sim/profiles), a healthy
 * audit's full row vector, and for every fault that applies to that profile (the fault catalog
 * minus the profile's refusals) exactly the rows the fault explains red — the same rows as on
 * today's default cluster (support/fault-rows.ts), unless the profile's shape makes the truth
 * differ (noted per case), and the fault pairs of those rows that used to hide each other.
 *
 * Where kubeproof's verdict is still wrong on a profile because a check is not fixed yet, the
 * case states the true expectation and is marked `it.fails` naming the helper who fixes that
 * check (`verdicts` or `network`); they flip it to `it` when they land. kthw's single faults are
 * asserted by fault-matrix.test.ts and not repeated here.
 *
 * Every case starts its own cluster; cases run concurrently (audits mostly wait on the
 * simulation's timers). The profiles are dealt round-robin into SHARDS test files
 * (profile-matrix-<n>.test.ts) so that vitest's workers share the matrix; a new profile lands
 * in a shard by itself.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, type FaultName } from '../../sim/fault-catalog.js';
import { type FaultSpec, PROFILE_NAMES, type ProfileName, type SimCluster, startSimCluster } from '../../sim/index.js';
import { faultRefusal, getProfile } from '../../sim/profiles/index.js';
import { AFTER_ROLLOUT } from './check-ids.js';
import { expectedVector, faultRows, type Row } from './fault-rows.js';
import { type AuditRun, explain, runAudit, statusVector } from './sim-audit.js';

type Owner = 'verdicts' | 'network';

/** Why a case's verdict is still wrong, and who fixes it (`it.fails` until then). */
interface KnownWrong {
  owner: Owner;
  why: string;
}

interface ProfilePlan {
  /** The node a node-argument fault names (a schedulable node that is not the client's first choice). */
  node: string;
  /** The truth for secrets.encryption on a healthy run. */
  encryption: 'passed' | 'not-observable';
  /** Which cases kubeproof still gets wrong here, by row (the healthy run is row undefined). */
  wrong?: (row: Row | undefined) => KnownWrong | undefined;
  /** Rows whose truth differs on this profile's shape. */
  rows?: Partial<Record<FaultName, Partial<Row>>>;
}

const secondWorker = (profile: ProfileName): string => {
  const nodes = getProfile(profile).shape(2).nodes;
  const workers = nodes.filter((n) => !n.controlPlane);
  return (workers[1] ?? workers[0] ?? nodes[0]!).name;
};

const PLANS: Record<ProfileName, ProfilePlan> = {
  kthw: { node: 'worker-1', encryption: 'passed' },
  'kubeadm-calico': { node: 'worker-1', encryption: 'passed' },
  eks: { node: secondWorker('eks'), encryption: 'not-observable' },
  gke: { node: secondWorker('gke'), encryption: 'not-observable' },
  k3s: {
    node: secondWorker('k3s'),
    encryption: 'passed',
    rows: {
      // The only node goes NotReady: nothing can be scheduled at all.
      'node-notready': { failed: ['nodes.ready', 'workload.rollout'], skipped: AFTER_ROLLOUT },
    },
  },
  'cilium-kpr': { node: 'worker-1', encryption: 'passed' },
  // The workload meets Pod Security `restricted` (src/workload/manifests.ts): no option needed.
  'psa-restricted': { node: 'worker-1', encryption: 'passed' },
  'slow-pulls': { node: 'worker-1', encryption: 'passed' },
  'dual-stack': { node: 'worker-1', encryption: 'passed' },
  ipv6: { node: 'worker-1', encryption: 'passed' },
  // kubeproof may create NetworkPolicies here (admin): its allow policy lets its traffic through.
  'netpol-default-deny': { node: 'worker-1', encryption: 'passed' },
};

/** The truth for secrets.encryption on a healthy run of this profile (for other suites that audit every profile). */
export const encryptionTruth = (profile: ProfileName): ProfilePlan['encryption'] => PLANS[profile].encryption;

const ENCRYPTED = { provider: 'aescbc' as const, keyName: 'key1' };

async function withSim<T>(profile: ProfileName, faults: FaultSpec[], fn: (sim: SimCluster) => Promise<T>): Promise<T> {
  const sim = await startSimCluster({ profile, faults, encryption: ENCRYPTED });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

const itFor = (wrong: KnownWrong | undefined) => (wrong ? it.fails : it);
const label = (wrong: KnownWrong | undefined) => (wrong ? ` [wrong until ${wrong.owner}: ${wrong.why}]` : '');

function expectVector(run: AuditRun, expected: Record<string, string>): void {
  expect(statusVector(run), explain(run)).toEqual(expected);
  for (const r of run.results.values()) {
    if (r.status === 'skipped' && r.reason !== 'not-observable') {
      expect(r.blockedBy?.length, `${r.id} skipped without blockedBy`).toBeGreaterThan(0);
    }
  }
}

/** How many test files the matrix is dealt into (profile-matrix-0 … -3.test.ts). */
export const SHARDS = 4;

/** The profiles of one shard: every SHARDS-th profile of the registry, from `shard`. */
export const shardProfiles = (shard: number): ProfileName[] => PROFILE_NAMES.filter((_, i) => i % SHARDS === shard);

/** The matrix cases of one shard's profiles, for its test file. */
export function describeProfileMatrix(shard: number): void {
  describe.concurrent(`profile × fault matrix (shard ${shard + 1}/${SHARDS})`, { timeout: 150_000 }, () => {
    for (const profile of shardProfiles(shard)) describeProfile(profile);
  });
}

function describeProfile(profile: ProfileName): void {
  const plan = PLANS[profile];
  describe(profile, () => {
    const healthyWrong = plan.wrong?.(undefined);
    itFor(healthyWrong)(
      `healthy: every row green${plan.encryption === 'not-observable' ? ', encryption not-observable' : ''}${label(healthyWrong)}`,
      async () => {
        await withSim(profile, [], async (sim) => {
          const run = await runAudit(sim, { selection: ['smoke', 'encryption'] });
          const expected = {
            ...expectedVector({}),
            'secrets.encryption': plan.encryption === 'passed' ? 'passed' : 'skipped',
          };
          expectVector(run, expected);
          if (plan.encryption === 'not-observable')
            expect(run.results.get('secrets.encryption')?.reason).toBe('not-observable');
          expect(run.cleanup.deleted, JSON.stringify(run.cleanup)).toBe(true);
        });
      },
    );

    if (profile === 'kthw') return;
    const rows = faultRows(plan.node);
    for (const name of FAULT_NAMES) {
      const base = rows.find((r) => r.fault.split(':')[0] === name && !r.also?.length);
      if (!base) continue;
      const refusal = faultRefusal(profile, name);
      if (refusal) {
        it(`${name}: refused (${refusal.split(': ').slice(1).join(': ')})`, async () => {
          await expect(startSimCluster({ profile, faults: [base.fault], apiOnly: true })).rejects.toThrow(refusal);
        });
        continue;
      }
      const row: Row = { ...base, ...(plan.rows?.[name] ?? {}) };
      const wrong = plan.wrong?.(row);
      itFor(wrong)(
        `${row.fault}: ${[...(row.failed ?? []).map((f) => `F ${f}`), ...(row.error ?? []).map((e) => `E ${e}`)].join(', ')}${label(wrong)}`,
        async () => {
          await withSim(profile, [row.fault], async (sim) => {
            await row.settle?.(sim);
            const run = await runAudit(sim);
            expectVector(run, expectedVector(row));
          });
        },
      );
    }
    // Fault pairs that used to hide each other, wherever both faults apply.
    for (const pair of rows.filter((r) => r.also?.length)) {
      const names = [pair.fault, ...(pair.also ?? [])].map((f) => f.split(':')[0] as FaultName);
      if (names.some((n) => faultRefusal(profile, n))) continue;
      const wrong = plan.wrong?.(pair);
      itFor(wrong)(`${[pair.fault, ...(pair.also ?? [])].join(' + ')}: both named${label(wrong)}`, async () => {
        await withSim(profile, [pair.fault, ...(pair.also ?? [])], async (sim) => {
          const run = await runAudit(sim);
          expectVector(run, expectedVector(pair));
          for (const id of pair.warned ?? [])
            expect(run.results.get(id)?.warnings?.length, `${id} has no warning`).toBeGreaterThan(0);
        });
      });
    }
  });
}
