import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { SMOKE_SUITE } from './support/check-ids.js';
import { type AuditRun, explain, kubeproofNamespaces, runAudit } from './support/sim-audit.js';

describe('a healthy simulated cluster', () => {
  let sim: SimCluster;
  let run: AuditRun;
  // What the sim held while the audit ran, captured before cleanup deletes it.
  const seen = { webPods: new Map<string, { ip?: string; node?: string }>(), webClusterIp: '', nodes: [] as string[] };

  beforeAll(async () => {
    sim = await startSimCluster();
    seen.nodes = sim.store.list('nodes').map((n) => n.metadata.name);
    run = await runAudit(sim, {
      onCheckFinished: (r) => {
        if (r.id !== 'endpoints.slices') return;
        for (const ns of kubeproofNamespaces(sim)) {
          for (const p of sim.store.list('pods', ns).filter((p) => p.metadata.labels?.app === 'web')) {
            seen.webPods.set(p.metadata.name, { ip: p.status?.podIP, node: p.spec?.nodeName });
          }
          seen.webClusterIp = sim.store.get('services', ns, 'web')?.spec?.clusterIP ?? '';
        }
      },
    });
  }, 30_000);
  afterAll(() => sim.stop());

  it('passes every check and deletes its namespace', () => {
    expect(
      [...run.results.values()].filter((r) => r.status !== 'passed'),
      explain(run),
    ).toEqual([]);
    expect([...run.results.keys()].sort()).toEqual([...SMOKE_SUITE].sort());
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
    expect(kubeproofNamespaces(sim)).toEqual([]);
  });

  it('reports the web pods with the nodes and IPs the simulation gave them', () => {
    const rollout = run.results.get('workload.rollout')!;
    const pods = (rollout.evidence.pods as Array<{ name: string; ip?: string; node?: string }>).filter((p) =>
      p.name.startsWith('web-'),
    );
    expect(pods.length, JSON.stringify(rollout.evidence)).toBe(3);
    for (const p of pods) expect({ ip: p.ip, node: p.node }).toEqual(seen.webPods.get(p.name));
  });

  it('shows the EndpointSlice holding exactly the pod IPs', () => {
    const ev = run.results.get('endpoints.slices')!.evidence;
    expect(ev.endpointAddresses).toEqual([...seen.webPods.values()].map((p) => p.ip).sort());
  });

  it('resolves the web Service to its ClusterIP and balances over several pods', () => {
    const dns = run.results.get('dns.service')!.evidence as { lookups: Array<{ addresses: string[] }> };
    expect(dns.lookups[0]?.addresses, JSON.stringify(dns)).toEqual([seen.webClusterIp]);
    const lb = run.results.get('service.loadbalancing')!.evidence as { answeredBy: Record<string, number> };
    expect(Object.keys(lb.answeredBy).length).toBeGreaterThanOrEqual(2);
    for (const name of Object.keys(lb.answeredBy)) expect(seen.webPods.has(name), name).toBe(true);
  });

  it('calls the NodePort on every node and reaches every pod by IP with its own name answering', () => {
    const np = run.results.get('service.nodeport')!.evidence as { calls: Array<{ node: string; ok: boolean }> };
    expect(np.calls.map((c) => c.node).sort()).toEqual([...seen.nodes].sort());
    const cross = run.results.get('pods.cross-node')!.evidence as {
      calls: Array<{ pod: string; answered: string; crossNode: boolean }>;
    };
    for (const c of cross.calls) expect(c.answered).toBe(c.pod);
    expect(
      cross.calls.some((c) => c.crossNode),
      JSON.stringify(cross),
    ).toBe(true);
  });

  it('reports recovery time for self-heal and the restart count growth', () => {
    expect(run.results.get('controller.selfheal')!.evidence.recoverySeconds).toEqual(expect.any(Number));
    const restart = run.results.get('kubelet.restart')!.evidence as { restartsBefore: number; restartsAfter: number };
    expect(restart.restartsAfter).toBeGreaterThan(restart.restartsBefore);
  });

  it('runs self-heal and scale-up last, one after the other; kubelet.restart, on a pod of its own, alongside', () => {
    // Finish order, without kubelet.restart: it may end before or after the others.
    const order = [...run.results.values()].map((r) => r.id).filter((id) => id !== 'kubelet.restart');
    expect(new Set(order.slice(-2)), order.join(',')).toEqual(new Set(['controller.selfheal', 'deployment.scale']));
    // Start order: kubelet.restart waits only for pods.exec, never for the network checks.
    expect(run.started.indexOf('kubelet.restart'), run.started.join(',')).toBeLessThan(
      run.started.indexOf('controller.selfheal'),
    );
    expect(run.started.indexOf('kubelet.restart')).toBeGreaterThan(run.started.indexOf('pods.exec'));
  });
});

describe('cancellation and deadline', () => {
  it.each(['cancel', 'deadline'])(
    'leaves no namespace behind after a %s mid-run and reports unfinished checks as not passed',
    async (how) => {
      const sim = await startSimCluster();
      try {
        const controller = new AbortController();
        const run = await runAudit(sim, {
          signal: controller.signal,
          onCheckFinished: (r) => {
            if (r.id === 'workload.rollout')
              controller.abort(how === 'deadline' ? new Error('run deadline') : undefined);
          },
        });
        expect(run.results.get('workload.rollout')?.status).toBe('passed');
        const notRun = [...run.results.values()].filter((r) => r.status !== 'passed');
        expect(notRun.length, explain(run)).toBeGreaterThan(0);
        expect(
          notRun.every((r) => r.status === 'skipped' || r.status === 'error'),
          explain(run),
        ).toBe(true);
        expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
        expect(kubeproofNamespaces(sim)).toEqual([]);
      } finally {
        await sim.stop();
      }
    },
  );
});

describe('sweep of expired namespaces', () => {
  it('removes a kubeproof namespace whose expiry passed before creating its own', async () => {
    const sim = await startSimCluster();
    try {
      sim.store.create('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'kubeproof-crashed1',
          // The sweep takes only namespaces carrying a run id (see test/security/orphan-sweep.test.ts).
          labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': 'crashed1' },
          annotations: { 'kubeproof.io/expires-at': '2000-01-01T00:00:00Z' },
        },
      });
      const run = await runAudit(sim, { selection: ['workload.rollout'] });
      expect(run.events.map((e) => e.message).join('\n')).toMatch(
        /removed expired kubeproof namespaces: kubeproof-crashed1/,
      );
      expect(kubeproofNamespaces(sim)).not.toContain('kubeproof-crashed1');
    } finally {
      await sim.stop();
    }
  });
});

describe('nodes without a published pod CIDR', () => {
  it('passes pods.network on Running pods with IPs and says the CIDR is unknown', async () => {
    const sim = await startSimCluster({ podCidr: false });
    try {
      const run = await runAudit(sim, { selection: ['pods.network'] });
      const r = run.results.get('pods.network');
      expect(r?.status, explain(run)).toBe('passed');
      expect(r?.summary).toMatch(/pod CIDR unknown/);
    } finally {
      await sim.stop();
    }
  });
});
