/**
 * "Blocked by policy" is its own answer: an admission denial of what kubeproof creates is
 * `error` with cause `policy`, never "a permission is missing" and never "the cluster failed".
 * Here the API server's answers are injected (the real cluster access, with creates refused by
 * the Status bodies upstream sends) for what the simulation's admission cannot provoke: a Pod
 * Security 403 (kubeproof's pods meet `restricted`, the strictest level) and denials of the
 * namespace or the Deployment. The simulation's own admission plugins deny the workload through
 * the HTTP API in test/service/policy-denials.test.ts (webhook, ValidatingAdmissionPolicy,
 * ResourceQuota, LimitRange).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMISSION_KINDS, type AdmissionKind, quotable } from '../../src/kube/cluster/admission.js';
import { errorFromResponse } from '../../src/kube/cluster/errors.js';
import { createClusterAccess } from '../../src/kube/cluster/index.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';
import { type SimCluster, startSimCluster } from '../sim/index.js';
import { DENIALS, type DeniedAnswer } from '../support/admission-denials.js';
import { AFTER_ROLLOUT } from './support/check-ids.js';
import { explain, runAudit, statusVector } from './support/sim-audit.js';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ encryption: { provider: 'aescbc', keyName: 'key1' } });
});
afterAll(async () => sim?.stop());

/** The real cluster access, with the API server answering `deny(resource, name)` to those creates. */
const denying =
  (deny: (resource: string, name: string) => DeniedAnswer | undefined) =>
  (credentials: Parameters<typeof createClusterAccess>[0]): ClusterAccess => {
    const real = createClusterAccess(credentials);
    return Object.assign(Object.create(real) as ClusterAccess, {
      create: (...args: Parameters<ClusterAccess['create']>) => {
        const [resource, obj] = args;
        const answer = deny(resource, obj.metadata?.name ?? '');
        if (!answer) return real.create(...args);
        return Promise.reject(errorFromResponse(answer.httpStatus, answer.body));
      },
    });
  };

describe('an admission denial of the workload', () => {
  it.each(ADMISSION_KINDS)(
    '%s denying the client pod: workload.rollout is error, cause policy, naming and quoting it',
    async (kind: AdmissionKind) => {
      const answer = DENIALS[kind]('client');
      const run = await runAudit(sim, {
        selection: ['smoke'],
        connect: denying((resource, name) => (resource === 'pods' && name === 'client' ? answer : undefined)),
      });
      const rollout = run.results.get('workload.rollout');
      expect(rollout?.status, explain(run)).toBe('error');
      expect(rollout?.cause, explain(run)).toBe('policy');
      const message: string = JSON.parse(answer.body).message;
      expect(rollout?.summary).toContain('blocked by policy');
      expect(rollout?.summary).toContain(quotable(message).slice(0, 80));
      expect(rollout?.hint).toBeTruthy();
      expect(rollout?.hint).not.toContain('GET /v1/rbac');
      expect(rollout?.evidence.admission).toMatchObject({ kind });
      const vector = statusVector(run);
      expect(vector['nodes.ready'], explain(run)).toBe('passed');
      for (const id of AFTER_ROLLOUT) expect(vector[id], explain(run)).toBe('skipped');
      expect(Object.values(vector)).not.toContain('failed');
    },
  );

  it('a webhook denying the run namespace: workload.rollout and secrets.encryption are both error, cause policy', async () => {
    const webhook = DENIALS.webhook('kubeproof');
    const run = await runAudit(sim, {
      selection: ['smoke', 'encryption'],
      connect: denying((resource) => (resource === 'namespaces' ? webhook : undefined)),
    });
    for (const id of ['workload.rollout', 'secrets.encryption']) {
      expect(run.results.get(id)?.status, explain(run)).toBe('error');
      expect(run.results.get(id)?.cause, explain(run)).toBe('policy');
      expect(run.results.get(id)?.summary).toContain('admission webhook "validate.kyverno.svc-fail"');
    }
    expect(run.cleanup).toMatchObject({ deleted: true });
  });

  it('a ValidatingAdmissionPolicy denying the Deployment (422 Invalid) is policy, not a schema error', async () => {
    const vap = DENIALS['validating-admission-policy']('web');
    const run = await runAudit(sim, {
      selection: ['workload.rollout'],
      connect: denying((resource) => (resource === 'deployments' ? vap : undefined)),
    });
    const rollout = run.results.get('workload.rollout');
    expect(rollout?.cause, explain(run)).toBe('policy');
    expect(rollout?.summary).toContain('ValidatingAdmissionPolicy "require-cost-center"');
    expect(rollout?.hint).toContain('matchResources.namespaceSelector');
  });
});
