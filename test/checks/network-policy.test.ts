/**
 * netpol-default-deny both ways (issue 10 item 2): a policy engine puts a default-deny
 * ingress+egress NetworkPolicy into every new namespace and the CNI enforces it. When kubeproof
 * may create NetworkPolicies it allows its own traffic and says so; when it may not, the checks
 * whose calls were dropped are `error` naming NetworkPolicy, never `failed`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { expectedVector } from './support/fault-rows.js';
import { explain, runAudit, statusVector } from './support/sim-audit.js';

describe('netpol-default-deny', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('with permission: kubeproof adds its allow policy next to the default-deny, says so, and every check passes', async () => {
    sim = await startSimCluster({ profile: 'netpol-default-deny' });
    const cluster = sim;
    const policies: string[][] = [];
    const run = await runAudit(cluster, {
      onCheckFinished: (r) => {
        if (r.id === 'workload.rollout') {
          const ns = String(r.evidence?.namespace);
          policies.push(cluster.store.list('networkpolicies', ns).map((p) => p.metadata.name));
        }
      },
    });
    expect(statusVector(run), explain(run)).toEqual(expectedVector({}));
    // Both policies were there while the checks ran: the engine's default-deny and kubeproof's allow.
    expect(policies[0]?.sort()).toEqual(['default-deny-all', 'kubeproof-allow']);
    const rollout = run.results.get('workload.rollout');
    expect(rollout?.evidence?.networkPolicy).toMatchObject({ created: true, name: 'kubeproof-allow' });
    expect(run.events.map((e) => e.message).join('\n')).toMatch(
      /NetworkPolicy kubeproof-allow created in kubeproof-\w+: allows kubeproof's pods' traffic inside the namespace, DNS to kube-system and NodePort \d+/,
    );
  });

  it('without permission: the checks whose calls were dropped are error (policy) naming the NetworkPolicy, never failed', async () => {
    sim = await startSimCluster({
      profile: 'netpol-default-deny',
      faults: ['rbac-missing:create:networkpolicies'],
    });
    const run = await runAudit(sim);
    const blocked = [...run.results.values()].filter((r) => r.status !== 'passed');
    expect(blocked.length, explain(run)).toBeGreaterThan(0);
    for (const r of blocked) {
      expect(r.status, explain(run)).toBe('error');
      expect(r.cause).toBe('policy');
      expect(r.summary).toMatch(/NetworkPolicy default-deny-all in kubeproof-\w+ may drop kubeproof's calls/);
      expect(r.hint).toMatch(/create on networkpolicies[\s\S]*GET \/v1\/rbac/);
    }
    // The client pod cannot reach the web pods of other nodes, nor the ClusterIP: those two at least.
    expect(blocked.map((r) => r.id)).toEqual(expect.arrayContaining(['pods.cross-node', 'service.loadbalancing']));
    expect(run.results.get('workload.rollout')?.evidence?.networkPolicy).toMatchObject({
      created: false,
      reason: 'forbidden',
    });
    expect(run.results.get('preflight.api')?.warnings?.join(' ') ?? '').toMatch(/networkpolicies/);
  });

  it('on a cluster without NetworkPolicy enforcement the allow policy changes nothing and a broken network still fails', async () => {
    sim = await startSimCluster({ faults: ['cni-cross-node', 'rbac-missing:create:networkpolicies'] });
    const run = await runAudit(sim);
    expect(run.results.get('pods.cross-node')?.status, explain(run)).toBe('failed');
  });
});
