/**
 * One Service for every Service check (src/workload/create.ts): a NodePort Service, whose
 * ClusterIP the ClusterIP, DNS and EndpointSlice checks use. Where the API server will not make
 * it a NodePort — here a ResourceQuota `services.nodeports: 0` a policy engine generates into
 * every new namespace, denied as the quota plugin words it — a ClusterIP Service of the same
 * name takes its place: those checks still pass, and only service.nodeport reports the denial,
 * `error` with cause policy (kubeproof could not tell), never `failed`.
 */
import { afterEach, expect, it } from 'vitest';
import { serviceNodePort } from '../../src/checks/smoke/service-nodeport.js';
import { DEFAULT_TIMINGS } from '../../src/checks/smoke/shared/timings.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { fakeContext } from './smoke/fake-context.js';
import { expectedVector } from './support/fault-rows.js';
import { explain, runAudit, statusVector } from './support/sim-audit.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const NO_NODEPORTS = {
  resource: 'resourcequotas' as const,
  object: {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'no-nodeports' },
    spec: { hard: { 'services.nodeports': '0' } },
  },
};

it('a healthy audit creates one Service, of type NodePort, and every Service check uses it', async () => {
  sim = await startSimCluster();
  const cluster = sim;
  const services: string[] = [];
  const run = await runAudit(cluster, {
    onCheckFinished: (r) => {
      if (r.id === 'workload.rollout')
        for (const s of cluster.store.list('services', String(r.evidence?.namespace)))
          services.push(`${s.metadata.name} ${s.spec?.type}`);
    },
  });
  expect(statusVector(run), explain(run)).toEqual(expectedVector({}));
  expect(services).toEqual(['web NodePort']);
});

it('NodePorts refused by a quota: a ClusterIP Service instead, only service.nodeport is error (policy)', async () => {
  sim = await startSimCluster({ admission: { generate: [NO_NODEPORTS] } });
  const run = await runAudit(sim);
  expect(statusVector(run), explain(run)).toEqual(expectedVector({ error: ['service.nodeport'] }));
  const nodePort = run.results.get('service.nodeport');
  expect(nodePort?.cause).toBe('policy');
  expect(nodePort?.summary).toMatch(/ResourceQuota "no-nodeports" denied the NodePort Service web/);
  expect(nodePort?.summary).toMatch(
    /exceeded quota: no-nodeports, requested: services\.nodeports=1, used: services\.nodeports=0, limited: services\.nodeports=0/,
  );
  expect(run.results.get('workload.rollout')?.evidence).toMatchObject({
    created: expect.arrayContaining(['services/web']),
    nodePortRefused: expect.stringMatching(/exceeded quota: no-nodeports/),
  });
  expect(run.cleanup.deleted, JSON.stringify(run.cleanup)).toBe(true);
});

it("the API server's own refusal of the NodePort (no free port) is failed, with the refusal, calling nothing", async () => {
  const { ctx, calls } = fakeContext({});
  ctx.workload!.nodePortRefused = { message: 'Internal error occurred: failed to allocate a nodePort: range is full' };
  const out = await serviceNodePort(DEFAULT_TIMINGS).run(ctx);
  expect(out.status).toBe('failed');
  expect(out.summary).toBe(
    'the API server refused Service web as type NodePort: Internal error occurred: failed to allocate a nodePort: range is full',
  );
  expect(out.hint).toMatch(/--service-node-port-range/);
  expect(calls).toEqual([]);
});
