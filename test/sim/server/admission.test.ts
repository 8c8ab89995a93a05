/**
 * The ServiceAccount admission plugin's lookups (admission.ts): a pod created before its
 * namespace's `default` ServiceAccount exists is admitted if the account appears while the
 * plugin retries, and refused with the real message once its 10 lookups found none. The
 * plugin's sleeps are injected, so nothing here depends on time.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { createMemoryStore, StatusError } from '../store/index.js';
import { storedResource } from '../store/resources.js';
import { admitCreate } from './admission.js';

const POD: KubeObj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace: 'fresh' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
};

function freshNamespace() {
  const store = createMemoryStore();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } });
  return store;
}

const account = (name: string): KubeObj => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'fresh' },
});

describe('ServiceAccount admission', () => {
  it('admits a pod whose default ServiceAccount appears while it retries the lookup', async () => {
    const store = freshNamespace();
    const sleeps: number[] = [];
    const timing = {
      random: () => 0.5,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        // The serviceaccounts-controller catches up during the third wait.
        if (sleeps.length === 3) store.create('serviceaccounts', account('default'));
      },
    };
    await expect(admitCreate(store, storedResource('pods')!, POD, timing)).resolves.toBeUndefined();
    expect(sleeps).toEqual([150, 150, 150]);
  });

  it('refuses it with the real message after 10 lookups 100-199 ms apart', async () => {
    const store = freshNamespace();
    const sleeps: number[] = [];
    const timing = { random: () => 0.999, sleep: async (ms: number) => void sleeps.push(ms) };
    const err = await admitCreate(store, storedResource('pods')!, POD, timing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).message).toBe(
      'pods "client" is forbidden: error looking up service account fresh/default: serviceaccount "default" not found',
    );
    expect(sleeps).toEqual(Array(9).fill(199));
  });

  it('looks a named ServiceAccount up once', async () => {
    const store = freshNamespace();
    const sleeps: number[] = [];
    const timing = { random: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    const pod = { ...POD, spec: { ...POD.spec, serviceAccountName: 'robot' } };
    await expect(admitCreate(store, storedResource('pods')!, pod, timing)).rejects.toThrow(
      'error looking up service account fresh/robot: serviceaccount "robot" not found',
    );
    expect(sleeps).toEqual([]);
  });
});
