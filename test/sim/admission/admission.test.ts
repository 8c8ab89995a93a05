import { describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { StatusError } from '../store/errors.js';
import { createMemoryStore } from '../store/index.js';
import { type AdmissionOptions, createAdmission } from './index.js';

const pod = (spec: Record<string, unknown> = {}, namespace = 'team'): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace },
  spec: { containers: [{ name: 'web', image: 'agnhost' }], ...spec },
});

function storeWith(options: AdmissionOptions, labels: Record<string, string> = {}) {
  const store = createMemoryStore({ admit: createAdmission(options) });
  for (const name of ['team', 'kube-system'])
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  return store;
}

function denial(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a denial');
}

const restrictedDefaults: AdmissionOptions = { podSecurity: { enforce: 'restricted', warn: 'restricted' } };
const compliant = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'agnhost',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

describe('simulated admission: the denial forms real clusters send', () => {
  it('Pod Security restricted: 403 with the upstream violates-PodSecurity detail, checks in ID order', () => {
    const store = storeWith(restrictedDefaults);
    const err = denial(() => store.create('pods', pod()));
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe(
      'pods "web-1" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    expect(store.create('pods', pod(compliant)).metadata.name).toBe('web-1');
    // kube-system is exempt by default, as AdmissionConfiguration exemptions usually make it.
    expect(store.create('pods', pod({}, 'kube-system')).metadata.namespace).toBe('kube-system');
  });

  it('Pod Security: namespace labels override the defaults; a Deployment is accepted with a warning', () => {
    const store = storeWith(restrictedDefaults, { 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(store.create('pods', pod()).metadata.name).toBe('web-1');
    const strict = storeWith(
      {},
      { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' },
    );
    expect(denial(() => strict.create('pods', pod({ hostNetwork: true }))).message).toBe(
      'pods "web-1" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)',
    );
    const warnings: string[] = [];
    strict.create(
      'deployments',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'team' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: pod().spec },
        },
      },
      { warnings },
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/),
    ]);
  });

  it('validating webhook: `admission webhook "<name>" denied the request: <message>` with the code it set (403 when unset)', () => {
    const store = storeWith({
      webhook: { name: 'validate.kyverno.svc-fail', message: 'resource Pod/team/web-1 was blocked', code: 400 },
    });
    const err = denial(() => store.create('pods', pod(compliant)));
    expect([err.code, err.reason, err.message]).toEqual([
      400,
      'Forbidden',
      'pods "web-1" is forbidden: admission webhook "validate.kyverno.svc-fail" denied the request: resource Pod/team/web-1 was blocked',
    ]);
    const unset = storeWith({ webhook: { name: 'gatekeeper', message: '[must-have-team] missing label' } });
    expect(denial(() => unset.create('pods', pod(compliant))).code).toBe(403);
  });

  it('ValidatingAdmissionPolicy: 422 Invalid naming policy and binding', () => {
    const store = storeWith({
      validatingAdmissionPolicy: {
        policy: 'require-team',
        binding: 'require-team-binding',
        message: 'every pod needs a team label',
      },
    });
    const err = denial(() => store.create('pods', pod(compliant)));
    expect([err.code, err.reason, err.message]).toEqual([
      422,
      'Invalid',
      "pods \"web-1\" is forbidden: ValidatingAdmissionPolicy 'require-team' with binding 'require-team-binding' denied request: every pod needs a team label",
    ]);
  });

  it('ResourceQuota: must specify limits, then exceeded quota; LimitRange: maximum per Container', () => {
    const store = storeWith({});
    store.create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'team' },
      spec: { hard: { pods: '1', 'limits.memory': '256Mi' } },
    });
    expect(denial(() => store.create('pods', pod())).message).toBe(
      'pods "web-1" is forbidden: failed quota: compute: must specify limits.memory for: web',
    );
    const limited = { containers: [{ name: 'web', image: 'agnhost', resources: { limits: { memory: '128Mi' } } }] };
    store.create('pods', pod(limited));
    expect(
      denial(() => store.create('pods', { ...pod(limited), metadata: { name: 'web-2', namespace: 'team' } })).message,
    ).toBe('pods "web-2" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1');
    const ranged = storeWith({});
    ranged.create('limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'mem', namespace: 'team' },
      spec: { limits: [{ type: 'Container', max: { memory: '64Mi' } }] },
    });
    expect(denial(() => ranged.create('pods', pod(limited))).message).toBe(
      'pods "web-1" is forbidden: maximum memory usage per Container is 64Mi, but limit is 128Mi',
    );
  });

  it('ResourceQuota on Services: a NodePort Service counts services.nodeports per port, a ClusterIP one none', () => {
    const store = storeWith({});
    store.create('resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'no-nodeports', namespace: 'team' },
      spec: { hard: { 'services.nodeports': '0', services: '2' } },
    });
    const service = (name: string, type: string): KubeObj => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'team' },
      spec: { type, ports: [{ port: 80 }] },
    });
    expect(denial(() => store.create('services', service('web', 'NodePort'))).message).toBe(
      'services "web" is forbidden: exceeded quota: no-nodeports, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0',
    );
    store.create('services', service('web', 'ClusterIP'));
    store.create('services', service('other', 'ClusterIP'));
    expect(denial(() => store.create('services', service('third', 'ClusterIP'))).message).toBe(
      'services "third" is forbidden: exceeded quota: no-nodeports, requested: services=1, used: services=2, limited: services=2',
    );
    // Pods are not counted against a Services-only quota.
    store.create('pods', pod());
  });
});
