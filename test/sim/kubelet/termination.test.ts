/**
 * Pod deletion honours grace periods as the kubelet's killContainer does (termination.ts): TERM to
 * PID 1, the pod removed once its processes exited or when the grace period is over. An agnhost
 * pod (Go runtime: exits on TERM) goes while a busybox `sleep` pod (PID 1 ignores TERM) is still
 * Terminating; a shell that traps TERM goes at once too. The timeline records all of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObj } from '../contracts.js';
import { HONOUR_GRACE_PERIODS } from '../controllers/kit/context.js';
import { type SimCluster, startSimCluster } from '../index.js';

let sim: SimCluster | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const pod = (name: string, image: string, command: string[] | undefined, grace: number): KubeObj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    terminationGracePeriodSeconds: grace,
    containers: [{ name: 'main', image, ...(command ? { command } : { args: ['netexec', '--http-port=8080'] }) }],
  },
});

const until = <T>(check: () => T | undefined, what: string, timeoutMs = 30_000) =>
  new Promise<T>((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });

describe('pod deletion with grace periods', () => {
  it('removes a pod whose process exits on TERM at once and keeps one whose PID 1 ignores TERM until its grace is over', async () => {
    sim = await startSimCluster({ timings: { podDeletionGraceMs: HONOUR_GRACE_PERIODS }, timeline: true });
    const s = sim;
    const ready = (name: string) =>
      s.store
        .get('pods', 'default', name)
        ?.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        ) || undefined;
    // The sleeper's grace is long enough that the others' removal cannot be its grace running out.
    s.store.create('pods', pod('sleeper', 'busybox:1.36', ['sleep', '3600'], 20));
    s.store.create(
      'pods',
      pod('trapper', 'busybox:1.36', ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'], 20),
    );
    s.store.create('pods', pod('web', 'registry.k8s.io/e2e-test-images/agnhost:2.52', undefined, 20));
    for (const name of ['sleeper', 'trapper', 'web']) await until(() => ready(name), `${name} Ready`);
    for (const name of ['sleeper', 'trapper', 'web']) s.store.delete('pods', 'default', name);
    const gone = (name: string) => (s.store.get('pods', 'default', name) ? undefined : true);
    await until(() => gone('web'), 'web gone');
    await until(() => gone('trapper'), 'trapper gone');
    const sleeper = s.store.get('pods', 'default', 'sleeper');
    expect(sleeper?.metadata.deletionTimestamp, 'sleep as PID 1 ignores TERM: still Terminating').toBeDefined();
    const kinds = s.timeline!.timelineOf('default').map((e) => `${e.name} ${e.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['web pod-created', 'web pod-ready', 'web pod-deleting', 'web pod-gone']),
    );
    expect(kinds).toContain('sleeper pod-deleting');
    expect(kinds).not.toContain('sleeper pod-gone');
  });
});
