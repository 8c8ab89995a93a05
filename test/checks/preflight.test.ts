/**
 * preflight.api against the simulated API server, through the real ClusterAccess: every
 * planned permission (optional ones too) is reviewed — by one SelfSubjectRulesReview per
 * namespace, and by SelfSubjectAccessReview for non-resource URLs (nonResourceAttributes) and
 * what a rules review cannot answer; only required ones make it `error` and block a check.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalogChecks } from '../../src/checks/catalog.js';
import { secretsEncryption } from '../../src/checks/encryption/index.js';
import { AuditOptions } from '../../src/checks/options.js';
import { newFindings, type PreflightFindings, preflightApi } from '../../src/checks/preflight/api.js';
import type { CheckDefinition, CheckOutcome } from '../../src/checks/types.js';
import { planChecks } from '../../src/engine/suite/planner.js';
import type { RbacNeed } from '../../src/kernel/catalog.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/index.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';

const RUN_NAMESPACE = 'kubeproof-preflight';

let sim: SimCluster;
let cluster: ClusterAccess;
beforeAll(async () => {
  sim = await startSimCluster({ apiOnly: true, user: 'kubeproof' });
  cluster = createClusterAccess(sanitizeKubeconfig(sim.kubeconfig).kubeconfig);
});
afterAll(async () => {
  cluster?.close();
  await sim?.stop();
});
afterEach(() => {
  for (const spec of sim.faults.list()) sim.faults.disable(spec);
});

/** A planned check that only declares permissions (preflight never runs it). */
function declaring(id: string, rbac: RbacNeed[]): CheckDefinition {
  return {
    id,
    title: id,
    group: 'smoke',
    component: 'api-server',
    prerequisites: ['preflight.api'],
    disruptive: false,
    needsWorkload: false,
    rbac,
    deadlineMs: 1_000,
    run: () => Promise.reject(new Error('not run by these tests')),
  };
}

async function runPreflight(
  planned: CheckDefinition[],
  through: ClusterAccess = cluster,
): Promise<{ outcome: CheckOutcome; findings: PreflightFindings; warnings: unknown[] }> {
  let findings: PreflightFindings = newFindings();
  const warnings: unknown[] = [];
  const check = preflightApi({
    planned: () => planned,
    runNamespace: () => RUN_NAMESPACE,
    reviewed: (found) => {
      findings = found;
    },
  });
  const outcome = await check.run({
    cluster: through,
    workload: undefined,
    options: AuditOptions.parse({}),
    signal: AbortSignal.timeout(check.deadlineMs),
    clock: { now: () => new Date() },
    log: { info() {}, warn: (msg, fields) => warnings.push({ msg, fields }), error() {} },
    results: new Map(),
  });
  return { outcome, findings, warnings };
}

const METRICS_WARNING =
  "cannot get path /metrics (optional: enables the apiserver-metrics strategy of secrets.encryption (kube-apiserver's transformation counters))";

describe('preflight.api reviewing required and optional permissions', () => {
  it('passes with nothing missing when every permission, optional ones included, is granted', async () => {
    const { outcome, findings } = await runPreflight([secretsEncryption]);
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('passed');
    expect(outcome.evidence, body).toMatchObject({
      permissionsReviewed: secretsEncryption.rbac.length,
      missingPermissions: [],
      optionalPermissionsMissing: [],
    });
    expect(findings.missingByCheck.size).toBe(0);
    expect(findings.optionalMissingByCheck.size).toBe(0);
  });

  it('asks about /metrics as a non-resource URL and only warns when it is denied', async () => {
    sim.faults.enable('rbac-missing:get:/metrics');
    const { outcome, findings, warnings } = await runPreflight([secretsEncryption]);
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('passed');
    expect(outcome.summary, body).toContain('warning: 1 optional permission(s) missing');
    expect(outcome.evidence, body).toMatchObject({
      missingPermissions: [],
      optionalPermissionsMissing: [METRICS_WARNING],
      checksDegraded: { 'secrets.encryption': [METRICS_WARNING] },
    });
    expect(findings.missingByCheck.has('secrets.encryption'), 'an optional need must never block the check').toBe(
      false,
    );
    expect(findings.optionalMissingByCheck.get('secrets.encryption')).toEqual([METRICS_WARNING]);
    expect(JSON.stringify(warnings)).toContain('cannot get path /metrics');
  });

  it('lists every missing optional permission of the encryption check with the strategy it enables', async () => {
    sim.faults.enable('rbac-missing:create:pods/exec');
    sim.faults.enable('rbac-missing:list:pods');
    const { outcome } = await runPreflight([secretsEncryption]);
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('passed');
    expect(outcome.evidence.optionalPermissionsMissing, body).toEqual([
      'cannot list pods in namespace kube-system (optional: enables the etcd-exec and apiserver-flags strategies of secrets.encryption (finding the etcd and kube-apiserver static pods))',
      'cannot create pods/exec in namespace kube-system (optional: enables the etcd-exec strategy of secrets.encryption (etcdctl in the etcd static pod))',
    ]);
  });

  it('gives error and blocks the check when a required permission is missing, listing optional ones too', async () => {
    sim.faults.enable('rbac-missing:create:secrets');
    sim.faults.enable('rbac-missing:get:/metrics');
    const { outcome, findings } = await runPreflight([secretsEncryption]);
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('error');
    expect(outcome.summary, body).toBe(`missing permissions: cannot create secrets in namespace ${RUN_NAMESPACE}`);
    expect(outcome.evidence.optionalPermissionsMissing, body).toEqual([METRICS_WARNING]);
    expect(findings.missingByCheck.get('secrets.encryption')).toEqual([
      `cannot create secrets in namespace ${RUN_NAMESPACE}`,
    ]);
  });

  it('blocks only the check that requires a permission another check calls optional', async () => {
    const metrics = { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster' } as const;
    sim.faults.enable('rbac-missing:get:/metrics');
    const { outcome, findings } = await runPreflight([
      declaring('needs.metrics', [metrics]),
      declaring('likes.metrics', [{ ...metrics, optional: true, purpose: 'enables a nicer answer' }]),
    ]);
    const body = JSON.stringify(outcome, null, 1);
    expect(outcome.status, body).toBe('error');
    expect(outcome.evidence.permissionsReviewed, body).toBe(1);
    expect(findings.missingByCheck.get('needs.metrics')).toEqual(['cannot get path /metrics']);
    expect(findings.missingByCheck.has('likes.metrics')).toBe(false);
    expect(findings.optionalMissingByCheck.get('likes.metrics')).toEqual([
      'cannot get path /metrics (optional: enables a nicer answer)',
    ]);
  });

  it('asks only for the permissions the selected checks use: no nodes for workload.rollout, only list nodes for the smoke suite', async () => {
    for (const verb of ['get', 'list', 'watch']) sim.faults.enable(`rbac-missing:${verb}:nodes`);
    const plan = (selection: string[]) => planChecks(selection, catalogChecks());
    const rollout = await runPreflight(plan(['workload.rollout']));
    expect(rollout.outcome.status, JSON.stringify(rollout.outcome)).toBe('passed');
    const smoke = await runPreflight(plan(['smoke']));
    const asked = plan(['smoke']).flatMap((c) => c.rbac.filter((n) => n.resource === 'nodes').map((n) => n.verb));
    expect([...new Set(asked)]).toEqual(['list']);
    expect(smoke.outcome.evidence.missingPermissions).toEqual(['cannot list nodes at the cluster scope']);
  });
});

describe('preflight.api asking as few questions as the answers allow', () => {
  const fullPlan = () => planChecks(['preflight', 'smoke', 'encryption'], catalogChecks());
  const reviewsAsked = () => {
    const created = sim.accounting().requests.create ?? {};
    return { rules: created.selfsubjectrulesreviews ?? 0, access: created.selfsubjectaccessreviews ?? 0 };
  };
  /** The real cluster access, with the rules review answered otherwise. */
  const withRulesReview = (rulesReview: ClusterAccess['rulesReview']): ClusterAccess => ({ ...cluster, rulesReview });

  it('reviews the whole suite with one rules review per namespace and no single review', async () => {
    sim.resetAccounting();
    const { outcome } = await runPreflight(fullPlan());
    expect(outcome.status, JSON.stringify(outcome)).toBe('passed');
    // The run namespace (which also answers cluster-wide needs and URLs: /metrics) and kube-system.
    expect(reviewsAsked()).toEqual({ rules: 2, access: 0 });
    expect(outcome.evidence.permissionsReviewed).toBeGreaterThan(10);
  });

  it('comes to the same findings as single reviews of every permission, with permissions missing', async () => {
    sim.faults.enable('rbac-missing:create:pods/exec');
    sim.faults.enable('rbac-missing:list:nodes');
    sim.faults.enable('rbac-missing:get:/metrics');
    const byRules = await runPreflight(fullPlan());
    // An incomplete rules review that lists nothing (an authorizer that cannot list its rules):
    // every permission is asked by SelfSubjectAccessReview instead.
    sim.resetAccounting();
    const incomplete = withRulesReview(async () => ({ resourceRules: [], nonResourceRules: [], incomplete: true }));
    const bySingle = await runPreflight(fullPlan(), incomplete);
    expect(reviewsAsked().access).toBe(bySingle.outcome.evidence.permissionsReviewed);
    expect(byRules.outcome.status).toBe('error');
    expect(byRules.outcome.evidence.missingPermissions).toEqual([
      'cannot list nodes at the cluster scope',
      `cannot create pods/exec in namespace ${RUN_NAMESPACE}`,
    ]);
    expect(byRules.outcome).toEqual(bySingle.outcome);
    expect(byRules.findings).toEqual(bySingle.findings);
  });

  it('trusts what an incomplete rules review lists and asks only about the rest', async () => {
    sim.resetAccounting();
    const partial = withRulesReview(async (namespace, opts) => {
      const review = await cluster.rulesReview(namespace, opts);
      return { ...review, incomplete: true };
    });
    const { outcome } = await runPreflight(fullPlan(), partial);
    expect(outcome.status).toBe('passed');
    // Everything, /metrics too, is listed: nothing left to ask.
    expect(reviewsAsked()).toEqual({ rules: 2, access: 0 });
  });

  it('asks by single reviews when the rules review is refused, and still names what is missing', async () => {
    sim.faults.enable('rbac-missing:create:selfsubjectrulesreviews');
    sim.faults.enable('rbac-missing:create:secrets');
    sim.resetAccounting();
    const { outcome } = await runPreflight([secretsEncryption]);
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toBe(`missing permissions: cannot create secrets in namespace ${RUN_NAMESPACE}`);
    expect(reviewsAsked().access).toBe(secretsEncryption.rbac.length);
  });
});
