/**
 * Bare pods without a ServiceAccount read first (src/workload/create-pod.ts): only a create
 * that admission refused for the missing `default` ServiceAccount makes kubeproof wait for it
 * (one list+watch) and try once more; anything else is the API server's answer as it came.
 */
import { describe, expect, it } from 'vitest';
import { type ClusterAccess, ClusterError, type KubeObject } from '../../src/kube/cluster-access.js';
import { createPod } from '../../src/workload/create-pod.js';

const POD: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' } };
const SA_REFUSAL = new ClusterError(
  'server',
  'pods "client" is forbidden: error looking up service account kubeproof-x/default: serviceaccount "default" not found',
  403,
  'Forbidden',
);

/** A cluster whose creates answer from `answers` in turn and whose ServiceAccount wait does `wait`. */
function fakeCluster(answers: Array<KubeObject | Error>, wait: () => Promise<unknown>) {
  const calls: string[] = [];
  const cluster = {
    create: async () => {
      calls.push('create pods');
      const next = answers.shift();
      if (!next || next instanceof Error) throw next ?? new Error('no answer left');
      return next;
    },
    waitFor: async (resource: string, selector: { fieldSelector?: string }) => {
      calls.push(`wait ${resource} ${selector.fieldSelector}`);
      return wait();
    },
  } as unknown as Pick<ClusterAccess, 'create' | 'waitFor'>;
  return { cluster, calls };
}

const create = (cluster: Pick<ClusterAccess, 'create' | 'waitFor'>) => createPod(cluster, POD, 'kubeproof-x', {}, 1000);

describe('createPod', () => {
  it('creates the pod with one call and reads no ServiceAccount when admission takes it', async () => {
    const { cluster, calls } = fakeCluster([POD], () => Promise.reject(new Error('not called')));
    await expect(create(cluster)).resolves.toBe(POD);
    expect(calls).toEqual(['create pods']);
  });

  it('refused for the missing default ServiceAccount: waits for it, then creates once more', async () => {
    const { cluster, calls } = fakeCluster([SA_REFUSAL, POD], () => Promise.resolve(true));
    await expect(create(cluster)).resolves.toBe(POD);
    expect(calls).toEqual(['create pods', 'wait serviceaccounts metadata.name=default', 'create pods']);
  });

  it('keeps the refusal when the ServiceAccount does not come (controller-manager down) or may not be read', async () => {
    for (const waitError of [
      new ClusterError('timeout', 'no default ServiceAccount within 1s'),
      new ClusterError('forbidden', 'serviceaccounts is forbidden: User "kubeproof" cannot list resource', 403),
    ]) {
      const { cluster, calls } = fakeCluster([SA_REFUSAL], () => Promise.reject(waitError));
      await expect(create(cluster)).rejects.toBe(SA_REFUSAL);
      expect(calls).toEqual(['create pods', 'wait serviceaccounts metadata.name=default']);
    }
  });

  it('passes every other answer through without waiting', async () => {
    const denied = new ClusterError(
      'policy',
      'pods "client" is forbidden: violates PodSecurity "restricted:latest"',
      403,
    );
    const { cluster, calls } = fakeCluster([denied], () => Promise.reject(new Error('not called')));
    await expect(create(cluster)).rejects.toBe(denied);
    expect(calls).toEqual(['create pods']);
  });
});
