/**
 * The run's namespace as the engine's own step: which checks need it, what they declare for it,
 * and how a refusal by the API server is classified for each kind of check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { catalogChecks } from '../../src/checks/catalog.js';
import type { CheckDefinition } from '../../src/checks/types.js';
import { planChecks } from '../../src/engine/suite/planner.js';
import { needsRunNamespace, verdictWithoutNamespace } from '../../src/engine/suite/run-namespace.js';
import { errorFromResponse } from '../../src/kube/cluster/errors.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { permissionKey } from '../../src/rbac/permission.js';
import type { RunNamespace } from '../../src/workload/namespace.js';
import { RUN_NAMESPACE_RBAC } from '../../src/workload/rbac.js';
import { AFTER_ROLLOUT } from '../checks/support/check-ids.js';
import { explain, kubeproofNamespaces, runAudit, statusVector } from '../checks/support/sim-audit.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';

const all = catalogChecks();
const check = (id: string): CheckDefinition => {
  const def = all.find((c) => c.id === id);
  if (!def) throw new Error(`no check ${id} in the catalog`);
  return def;
};

describe('what needs the run namespace', () => {
  it('is the web workload’s checks and secrets.encryption, which needs no workload', () => {
    expect(all.filter((c) => !needsRunNamespace(c)).map((c) => c.id)).toEqual(['preflight.api', 'nodes.ready']);
    expect(check('secrets.encryption')).toMatchObject({
      needsNamespace: true,
      needsWorkload: false,
      prerequisites: ['preflight.api'],
    });
  });

  it('declares the permissions for the namespace in every plan that creates one, so preflight and GET /v1/rbac ask for them', () => {
    const wanted = RUN_NAMESPACE_RBAC.map(permissionKey);
    for (const def of all.filter(needsRunNamespace)) {
      const planned = new Set(planChecks([def.id], all).flatMap((c) => c.rbac.map(permissionKey)));
      expect(
        wanted.filter((k) => !planned.has(k)),
        `${def.id} plans a namespace without asking for it`,
      ).toEqual([]);
    }
  });
});

describe('a check whose namespace the API server refused', () => {
  const namespace = 'kubeproof-1234abcd';
  // A refusal that is no admission policy: the namespace controller's own (NamespaceLifecycle).
  const refusedNamespace: RunNamespace = {
    namespace,
    ready: false,
    created: [],
    refusals: [`namespaces/${namespace}: object is being deleted: namespaces "${namespace}" already exists`],
    denied: [],
  };
  const refusedPullSecret: RunNamespace = {
    namespace,
    ready: true,
    created: [`namespaces/${namespace}`],
    refusals: ['secrets/kubeproof-pull: Internal error occurred: resource quota evaluation timed out'],
    denied: [],
  };
  const webhook = {
    kind: 'webhook' as const,
    policy: 'admission webhook "policy.example.com"',
    message: 'admission webhook "policy.example.com" denied the request: namespaces need a team label',
  };
  const deniedNamespace: RunNamespace = {
    ...refusedNamespace,
    refusals: [],
    denied: [{ object: `namespaces/${namespace}`, denial: webhook }],
  };
  const deniedPullSecret: RunNamespace = {
    ...refusedPullSecret,
    refusals: [],
    denied: [{ object: 'secrets/kubeproof-pull', denial: { ...webhook, kind: 'resource-quota' } }],
  };
  const ready: RunNamespace = {
    namespace,
    ready: true,
    created: [`namespaces/${namespace}`],
    refusals: [],
    denied: [],
  };

  it('fails workload.rollout with the refusal, as when its Deployment is refused', () => {
    const outcome = verdictWithoutNamespace(check('workload.rollout'), refusedNamespace);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({
      status: 'failed',
      summary: expect.stringContaining('object is being deleted'),
      evidence: { namespace, refusals: refusedNamespace.refusals },
    });
  });

  it('gives secrets.encryption error, never failed: a refused namespace says nothing of encryption', () => {
    const outcome = verdictWithoutNamespace(check('secrets.encryption'), refusedNamespace);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({
      status: 'error',
      summary: expect.stringContaining('refused the run namespace'),
    });
  });

  it('fails workload.rollout on a refused pull secret but lets secrets.encryption run', () => {
    expect(verdictWithoutNamespace(check('workload.rollout'), refusedPullSecret)?.status).toBe('failed');
    expect(verdictWithoutNamespace(check('secrets.encryption'), refusedPullSecret)).toBeUndefined();
  });

  it('gives both error with cause policy, naming the webhook, when admission denies the namespace', () => {
    for (const id of ['workload.rollout', 'secrets.encryption']) {
      expect(verdictWithoutNamespace(check(id), deniedNamespace), id).toMatchObject({
        status: 'error',
        cause: 'policy',
        summary: expect.stringContaining('admission webhook "policy.example.com" denied namespaces/kubeproof-1234abcd'),
      });
    }
  });

  it('a policy denying the pull secret blocks the workload (policy) but not secrets.encryption', () => {
    expect(verdictWithoutNamespace(check('workload.rollout'), deniedPullSecret)).toMatchObject({ cause: 'policy' });
    expect(verdictWithoutNamespace(check('secrets.encryption'), deniedPullSecret)).toBeUndefined();
  });

  it('lets every check run once the namespace is ready', () => {
    for (const def of all.filter(needsRunNamespace))
      expect(verdictWithoutNamespace(def, ready), def.id).toBeUndefined();
  });
});

describe('the namespace step against the simulated cluster', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  /** The real cluster access, with the API server refusing what `refuse` picks as an admission webhook would. */
  const refusing =
    (refuse: (resource: string, name: string) => boolean) =>
    (credentials: Parameters<typeof createClusterAccess>[0]): ClusterAccess => {
      const real = createClusterAccess(credentials);
      return Object.assign(Object.create(real) as ClusterAccess, {
        create: (...args: Parameters<ClusterAccess['create']>) => {
          const [resource, obj] = args;
          if (!refuse(resource, obj.metadata?.name ?? '')) return real.create(...args);
          // As kube-apiserver sends a webhook's 400 (apiserver/pkg/admission/plugin/webhook/errors/statuserror.go).
          const message = `admission webhook "policy.example.com" denied the request: ${resource} need a team label`;
          return Promise.reject(
            errorFromResponse(400, JSON.stringify({ kind: 'Status', message, reason: 'BadRequest', code: 400 })),
          );
        },
      });
    };

  it('gives workload.rollout and secrets.encryption error (cause policy) and skips the rest when an admission webhook refuses the namespace', async () => {
    sim = await startSimCluster({ encryption: { provider: 'aescbc', keyName: 'key1' } });
    const run = await runAudit(sim, {
      selection: ['smoke', 'encryption'],
      connect: refusing((resource) => resource === 'namespaces'),
    });
    const vector = statusVector(run);
    expect(vector['workload.rollout'], explain(run)).toBe('error');
    expect(run.results.get('workload.rollout')?.cause, explain(run)).toBe('policy');
    expect(vector['secrets.encryption'], explain(run)).toBe('error');
    expect(run.results.get('secrets.encryption')?.cause, explain(run)).toBe('policy');
    expect(vector['nodes.ready'], explain(run)).toBe('passed');
    for (const id of AFTER_ROLLOUT) expect(vector[id], explain(run)).toBe('skipped');
    expect(run.results.get('workload.rollout')?.summary).toContain('admission webhook "policy.example.com"');
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({
      deleted: true,
      detail: 'the namespace was never created',
    });
    expect(kubeproofNamespaces(sim)).toEqual([]);
  });

  it('passes secrets.encryption when only the image pull secret is denied, and gives workload.rollout error (policy) for it', async () => {
    sim = await startSimCluster({ encryption: { provider: 'aescbc', keyName: 'key1' } });
    const run = await runAudit(sim, {
      selection: ['workload.rollout', 'encryption'],
      options: { images: { pullSecret: JSON.stringify({ auths: { 'mirror.example': { auth: 'dXNlcjpwYXNz' } } }) } },
      connect: refusing((resource, name) => resource === 'secrets' && name === 'kubeproof-pull'),
    });
    expect(statusVector(run), explain(run)).toEqual({
      'preflight.api': 'passed',
      'workload.rollout': 'error',
      'secrets.encryption': 'passed',
    });
    expect(run.results.get('workload.rollout')?.cause, explain(run)).toBe('policy');
    expect(run.results.get('workload.rollout')?.summary).toContain('secrets/kubeproof-pull');
    expect(run.cleanup, JSON.stringify(run.cleanup)).toMatchObject({ deleted: true });
    expect(kubeproofNamespaces(sim)).toEqual([]);
  });

  it('sweeps expired namespaces while the permission review is still out, and creates its own only after it', async () => {
    sim = await startSimCluster({ encryption: { provider: 'aescbc', keyName: 'key1' } });
    const order: string[] = [];
    let sweepListed: () => void = () => {};
    const swept = new Promise<void>((resolve) => {
      sweepListed = resolve;
    });
    const connect = (credentials: Parameters<typeof createClusterAccess>[0]): ClusterAccess => {
      const real = createClusterAccess(credentials);
      return Object.assign(Object.create(real) as ClusterAccess, {
        // The rules reviews answer only once the sweep has listed namespaces: if the sweep waited
        // for the review, preflight.api would run into its deadline instead of passing.
        rulesReview: async (...args: Parameters<ClusterAccess['rulesReview']>) => {
          await swept;
          order.push('rules review answered');
          return real.rulesReview(...args);
        },
        list: (...args: Parameters<ClusterAccess['list']>) => {
          if (args[0] === 'namespaces') {
            order.push('sweep listed namespaces');
            sweepListed();
          }
          return real.list(...args);
        },
        create: (...args: Parameters<ClusterAccess['create']>) => {
          if (args[0] === 'namespaces') order.push('namespace created');
          return real.create(...args);
        },
      });
    };
    const run = await runAudit(sim, { selection: ['encryption'], connect });
    expect(statusVector(run), explain(run)).toEqual({ 'preflight.api': 'passed', 'secrets.encryption': 'passed' });
    expect(order.slice(0, 2)).toEqual(['sweep listed namespaces', 'rules review answered']);
    expect(order.indexOf('namespace created')).toBeGreaterThan(order.lastIndexOf('rules review answered'));
  });
});
