/**
 * Admission denials through the HTTP API, from the simulated cluster's own admission plugins
 * (test/sim/admission: the upstream texts and codes): each form of denial of kubeproof's pods
 * makes workload.rollout `error` with cause `policy`, naming the policy and quoting its message —
 * never "a permission is missing", never "the cluster failed". Pod Security is not among them:
 * kubeproof's pods meet `restricted`, the strictest level, so no Pod Security configuration denies
 * them (the psa-restricted profile passes; the PSA form is classified in test/checks/policy.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSuiteExecutor, suiteCatalog } from '../../src/engine/suite/suite.js';
import { silentLogger } from '../../src/logger.js';
import { FAST_TIMINGS } from '../checks/support/sim-audit.js';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../sim/index.js';
import { call, createHarness, type Harness } from './harness.js';

let sim: SimCluster | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await sim?.stop();
  sim = undefined;
});

interface CheckView {
  id: string;
  status: string;
  cause?: string;
  summary: string;
  hint?: string;
}

async function auditThroughApi(options: SimClusterOptions) {
  sim = await startSimCluster(options);
  harness = createHarness({
    executor: createSuiteExecutor({ clock: { now: () => new Date() }, logger: silentLogger, timings: FAST_TIMINGS }),
    catalog: suiteCatalog(),
  });
  const created = await call(harness, 'POST', '/v1/audits', {
    json: { kubeconfig: sim.kubeconfig, checks: ['smoke'] },
  });
  expect(created.status, created.text).toBe(202);
  await harness.runner.whenIdle();
  const run = await call(harness, 'GET', created.body.links.self);
  const report = await call(harness, 'GET', `${created.body.links.report}?format=markdown`);
  return { run: run.body, text: run.text, markdown: report.text, checks: run.body.checks as CheckView[] };
}

const QUOTA = {
  resource: 'resourcequotas',
  object: {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'compute-small' },
    spec: { hard: { 'limits.memory': '100Mi' } },
  },
};
const LIMITS = {
  resource: 'limitranges',
  object: {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'tight-limits' },
    spec: { limits: [{ type: 'Container', max: { memory: '32Mi' } }] },
  },
};

const FORMS: Array<{ form: string; options: SimClusterOptions; policy: RegExp; message: RegExp }> = [
  {
    form: 'a validating webhook answering 400',
    options: {
      admission: {
        webhook: { name: 'validate.kyverno.svc-fail', code: 400, message: 'label team is required' },
      },
    },
    policy: /admission webhook "validate\.kyverno\.svc-fail"/,
    message: /denied the request: label team is required/,
  },
  {
    form: 'a validating webhook that sets no code (403)',
    options: { admission: { webhook: { name: 'gatekeeper.sh', message: 'pods need an owner annotation' } } },
    policy: /admission webhook "gatekeeper\.sh"/,
    message: /pods need an owner annotation/,
  },
  {
    form: 'a ValidatingAdmissionPolicy (422 Invalid)',
    options: {
      admission: {
        validatingAdmissionPolicy: {
          policy: 'require-cost-center',
          binding: 'require-cost-center-binding',
          message: 'every pod needs a cost-center annotation',
        },
      },
    },
    policy: /ValidatingAdmissionPolicy "require-cost-center"/,
    message: /every pod needs a cost-center annotation/,
  },
  {
    form: 'a ResourceQuota generated into new namespaces',
    options: { admission: { generate: [QUOTA] } },
    policy: /ResourceQuota "compute-small"/,
    message: /exceeded quota: compute-small, requested: limits\.memory=64Mi/,
  },
  {
    form: 'a LimitRange generated into new namespaces',
    options: { admission: { generate: [LIMITS] } },
    policy: /LimitRange/,
    message: /maximum memory usage per Container is 32Mi, but limit is 64Mi/,
  },
];

describe('admission denials of the workload, through the HTTP API', () => {
  it.each(FORMS)(
    '$form: workload.rollout is error, cause policy, with the message',
    async ({ options, policy, message }) => {
      const { run, text, markdown, checks } = await auditThroughApi(options);
      const rollout = checks.find((c) => c.id === 'workload.rollout');
      expect(rollout?.status, text).toBe('error');
      expect(rollout?.cause, text).toBe('policy');
      expect(rollout?.summary, text).toMatch(/^blocked by policy: /);
      expect(rollout?.summary, text).toMatch(policy);
      expect(rollout?.summary, text).toMatch(message);
      expect(rollout?.hint, text).not.toContain('GET /v1/rbac');
      expect(
        checks.filter((c) => c.status === 'failed'),
        text,
      ).toEqual([]);
      expect(run.status, text).toBe('error');
      // The report's root cause quotes it too.
      expect(markdown).toMatch(message);
    },
  );
});
