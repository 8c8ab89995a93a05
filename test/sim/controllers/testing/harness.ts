/**
 * A simulated control plane for the controller and kubelet specs: the real store and fault
 * set, a recording fake container runtime, small latencies, and waitFor(), which resolves
 * when a condition on the store holds (re-checked on every watch event) or fails at a
 * deadline with a description of what it last saw.
 */

import { type BootstrapConfig, bootstrapCluster } from '../../bootstrap.js';
import type { ContainerRuntime, KubeObj, Latencies, SimStore } from '../../contracts.js';
import { createFaultSet, type FaultSpec, type SimFaultSet } from '../../faults.js';
import { createMemoryStore } from '../../store/index.js';
import { type RunningControllers, type SimTimings, startControllers } from '../index.js';

export interface RecordingRuntime extends ContainerRuntime {
  started: string[];
  stopped: string[];
  /** Resolves once `<ns>/<pod>/<container>` has been stopped. */
  waitForStop(key: string, timeoutMs?: number): Promise<void>;
}

export function recordingRuntime(): RecordingRuntime {
  const started: string[] = [];
  const stopped: string[] = [];
  const waiters = new Set<() => void>();
  const refuse = () => {
    throw new Error('streaming is not part of the controller specs');
  };
  return {
    started,
    stopped,
    startContainer: (pod, container) => {
      started.push(`${pod.metadata.namespace}/${pod.metadata.name}/${container}`);
    },
    stopContainer: (pod, container) => {
      stopped.push(`${pod.metadata.namespace}/${pod.metadata.name}/${container}`);
      for (const w of [...waiters]) w();
    },
    waitForStop: (key, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for ${key} to stop; stopped: ${stopped.join(', ')}`),
          );
        }, timeoutMs);
        function check() {
          if (!stopped.includes(key)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
        check();
      }),
    handleExec: refuse,
    handleLogs: refuse,
    handlePortForward: refuse,
  };
}

export const testTimings: Partial<SimTimings> = {
  nodeHeartbeatMs: 40,
  nodeMonitorGraceMs: 200,
  podDeletionGraceMs: 20,
  sandboxRetryMs: 60,
  backoffBaseMs: 60,
  backoffMaxMs: 200,
  backoffResetMs: 1000,
};

export interface TestCluster {
  store: SimStore;
  faults: SimFaultSet;
  runtime: RecordingRuntime;
  latencies: Latencies;
  controllers: RunningControllers;
  stop(): void;
}

export function startTestCluster(
  options: {
    faults?: FaultSpec[];
    bootstrap?: BootstrapConfig;
    timings?: Partial<SimTimings>;
    bootstrapped?: boolean;
  } = {},
): TestCluster {
  const store = createMemoryStore();
  const faults = createFaultSet(options.faults ?? []);
  const runtime = recordingRuntime();
  const latencies: Latencies = { podStartMs: 20, endpointDelayMs: 10, apiLatencyMs: 0, dnsLatencyMs: 0 };
  if (options.bootstrapped !== false) bootstrapCluster(store, options.bootstrap ?? {});
  const controllers = startControllers({
    store,
    faults,
    latencies,
    clusterDomain: 'cluster.local',
    runtime,
    timings: { ...testTimings, ...(options.timings ?? {}) },
  });
  return { store, faults, runtime, latencies, controllers, stop: () => controllers.stop() };
}

/**
 * Resolves with the condition's value once it is truthy; checked now and after every change
 * to the given resources. Rejects after timeoutMs, saying what was awaited and last seen.
 */
export function waitFor<T>(
  store: SimStore,
  resources: string[],
  condition: () => T | undefined | false | null,
  what: string,
  timeoutMs = 3000,
  describe: () => unknown = () => undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const unsubscribes: Array<() => void> = [];
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      settled = true;
      for (const u of unsubscribes) u();
      if (timer) clearTimeout(timer);
      fn();
    };
    const check = () => {
      if (settled) return true;
      let value: T | undefined | false | null;
      try {
        value = condition();
      } catch {
        // An object the condition reads may not exist yet: not there yet.
        value = undefined;
      }
      if (value) finish(() => resolve(value));
      return Boolean(value);
    };
    if (check()) return;
    // Checked after delivery, not inside it, so the condition sees the store as the writer left it.
    for (const r of resources) unsubscribes.push(store.watch(r, undefined, () => setImmediate(check)));
    timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(describe(), null, 1)}`,
            ),
          ),
        ),
      timeoutMs,
    );
  });
}

/** Events about one object, oldest first. */
export function eventsFor(store: SimStore, obj: KubeObj): KubeObj[] {
  return store
    .list('events', obj.metadata.namespace ?? 'default')
    .filter((e) => e.involvedObject?.uid === obj.metadata.uid)
    .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)));
}

export function podsWithLabel(store: SimStore, namespace: string, key: string, value: string): KubeObj[] {
  return store.list('pods', namespace).filter((p) => p.metadata.labels?.[key] === value);
}

/** The seed's `web` Deployment (agnhost netexec, 3 replicas). */
export function webDeployment(namespace = 'default', replicas = 3): KubeObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.k8s.io/e2e-test-images/agnhost:2.52',
              args: ['netexec', '--http-port=8080'],
              ports: [{ containerPort: 8080 }],
            },
          ],
        },
      },
    },
  };
}

export function webService(namespace = 'default'): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export function isRunningAndReady(pod: KubeObj): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
    )
  );
}
