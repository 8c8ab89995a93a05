/**
 * A tiny ClusterView for the runtime's own tests: an in-memory store with just get/list/create,
 * a fault set, and recorded container exits. The real store/kubelets are other parts.
 */
import { EventEmitter } from 'node:events';
import type { EmulatedImage } from '../../containers/types.js';
import type { ClusterView, FaultSet, KubeObj, SimStore } from '../../contracts.js';
import type { FaultSpec } from '../../fault-catalog.js';
import { createContainerRuntime, type SimContainerRuntime } from '../index.js';

const key = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

function createFakeStore(): SimStore {
  const objects = new Map<string, Map<string, KubeObj>>();
  const bucket = (resource: string) => {
    const existing = objects.get(resource);
    if (existing) return existing;
    const created = new Map<string, KubeObj>();
    objects.set(resource, created);
    return created;
  };
  let rv = 1;
  return {
    get: (resource, namespace, name) => structuredClone(bucket(resource).get(key(namespace, name))),
    list: (resource, namespace) =>
      [...bucket(resource).values()]
        .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
        .map((o) => structuredClone(o)),
    create(resource, obj) {
      const stored = structuredClone(obj);
      stored.metadata.uid ??= `uid-${obj.metadata.name}-${rv}`;
      stored.metadata.resourceVersion = String(++rv);
      bucket(resource).set(key(obj.metadata.namespace, obj.metadata.name), stored);
      return structuredClone(stored);
    },
    update(resource, obj) {
      return this.create(resource, obj);
    },
    delete(resource, namespace, name) {
      const obj = bucket(resource).get(key(namespace, name));
      bucket(resource).delete(key(namespace, name));
      return obj;
    },
    resourceVersion: () => rv,
    watch: () => () => undefined,
  };
}

export function createFakeFaults(initial: readonly FaultSpec[] = []): FaultSet {
  // A plain set of specs: the test double does not validate (the real SimFaultSet does).
  const specs = new Set<string>(initial);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  return {
    has: (name) => [...specs].some((s) => s === name || s.startsWith(`${name}:`)),
    args: (name) => [...specs].filter((s) => s.startsWith(`${name}:`)).map((s) => s.slice(name.length + 1)),
    enable(spec) {
      specs.add(spec);
      changed();
    },
    disable(spec) {
      specs.delete(spec);
      changed();
    },
    list: () => [...specs] as FaultSpec[],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface ContainerExit {
  namespace: string;
  pod: string;
  container: string;
  exitCode: number;
  reason: string;
}

export interface FakeCluster {
  view: ClusterView;
  store: SimStore;
  faults: FaultSet;
  runtime: SimContainerRuntime;
  exits: ContainerExit[];
  /** Resolves with the next container exit (or an earlier one not yet awaited). */
  nextExit(): Promise<ContainerExit>;
  addNode(name: string, internalIp: string): void;
  /** Creates a Running pod and starts its containers. */
  runPod(pod: PodInput): KubeObj;
  addService(namespace: string, name: string, spec: Record<string, unknown>): KubeObj;
  /** An EndpointSlice for the Service with these (ready unless told) pods. */
  addEndpoints(
    namespace: string,
    service: string,
    ports: Array<{ name?: string; port: number; protocol?: string }>,
    pods: Array<{ ip: string; node: string; ready?: boolean }>,
  ): void;
  dispose(): void;
}

export interface PodInput {
  namespace?: string;
  name: string;
  node: string;
  ip: string;
  containers: Array<{ name: string; image: string; command?: string[]; args?: string[]; stdin?: boolean }>;
}

export function createFakeCluster(
  options: { faults?: FaultSpec[]; images?: EmulatedImage[]; clusterDomain?: string } = {},
): FakeCluster {
  const store = createFakeStore();
  const faults = createFakeFaults(options.faults);
  const exits: ContainerExit[] = [];
  const events = new EventEmitter();
  let awaited = 0;
  const view: ClusterView = {
    store,
    faults,
    latencies: { podStartMs: 0, endpointDelayMs: 0, apiLatencyMs: 0, dnsLatencyMs: 0 },
    clusterDomain: options.clusterDomain ?? 'cluster.local',
    apiserverKubeletUser: 'kube-apiserver-kubelet-client',
    etcdctl: async (args) => ({ stdout: `etcdctl ${args.join(' ')}\n`, stderr: '', exitCode: 0 }),
    onContainerExit(namespace, pod, container, exitCode, reason) {
      exits.push({ namespace, pod, container, exitCode, reason });
      events.emit('exit');
    },
  };
  const runtime = createContainerRuntime(view, {
    timeoutScale: 0.001,
    ...(options.images ? { images: options.images } : {}),
  });
  return {
    view,
    store,
    faults,
    runtime,
    exits,
    nextExit() {
      return new Promise((resolve) => {
        const take = () => {
          if (exits.length > awaited) {
            events.off('exit', take);
            resolve(exits[awaited++]!);
          }
        };
        events.on('exit', take);
        take();
      });
    },
    addNode(name, internalIp) {
      store.create('nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name },
        status: {
          addresses: [
            { type: 'InternalIP', address: internalIp },
            { type: 'Hostname', address: name },
          ],
        },
      });
    },
    runPod(input) {
      const pod = store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: input.name, namespace: input.namespace ?? 'default' },
        spec: { nodeName: input.node, containers: input.containers },
        status: { phase: 'Running', podIP: input.ip, hostIP: '10.240.0.1' },
      });
      for (const c of input.containers) runtime.startContainer(pod, c.name);
      return pod;
    },
    addService(namespace, name, spec) {
      return store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
    },
    addEndpoints(namespace, service, ports, pods) {
      store.create('endpointslices', {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${service}-abcde`, namespace, labels: { 'kubernetes.io/service-name': service } },
        addressType: 'IPv4',
        ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
        endpoints: pods.map((p) => ({ addresses: [p.ip], nodeName: p.node, conditions: { ready: p.ready ?? true } })),
      });
    },
    dispose: () => runtime.dispose(),
  };
}

/** Resolves once the container's log has a line containing `text` (already there or still to come). */
export function waitForLogLine(
  runtime: SimContainerRuntime,
  pod: KubeObj,
  container: string,
  text: string,
): Promise<void> {
  const log = runtime.logOf(pod, container);
  if (!log) return Promise.reject(new Error(`${pod.metadata.name}/${container} has no log`));
  if (log.entries.some((e) => e.text.includes(text))) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = log.follow((entry) => {
      if (entry === undefined) reject(new Error(`log ended without "${text}"`));
      else if (entry.text.includes(text)) {
        stop();
        resolve();
      }
    });
  });
}
