/**
 * One kubelet per node, started for every node in the store (and nodes that join later).
 * `node-notready:<node>` stops that node's kubelet process (no heartbeats, no pod work) and
 * lifting it starts the process again; containers keep running meanwhile, as they would.
 */
import type { ClusterView, KubeObj } from '../contracts.js';
import { type ControllerContext, runWhileUp, type Stop } from '../controllers/kit/context.js';
import type { Json } from '../controllers/kit/objects.js';
import { kubeletDown } from './down.js';
import { type Kubelet, type NodeState, startKubelet } from './kubelet.js';
import { PodIpAllocator } from './pod-ips.js';

export interface Kubelets {
  stop: Stop;
  onContainerExit: ClusterView['onContainerExit'];
}

export function startKubelets(ctx: ControllerContext): Kubelets {
  const { store } = ctx;
  const nodes = new Map<string, { state: NodeState; process?: Kubelet; stop: Stop }>();
  let fallbackRanges = 0;

  const addNode = (node: KubeObj) => {
    const name = node.metadata.name;
    if (nodes.has(name)) return;
    const hostIp = (node.status?.addresses ?? []).find((a: Json) => a.type === 'InternalIP')?.address ?? '10.240.0.254';
    // The profile's IPAM first (Calico blocks, VPC subnet, Cilium pool), else the node's podCIDRs;
    // without either (--no-pod-cidr) the CNI still hands out addresses from its own range.
    const nodeCidrs: string[] | undefined =
      node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : undefined);
    const cidrs = ctx.podRanges?.(node) ?? nodeCidrs ?? [`10.244.${fallbackRanges++}.0/24`];
    const state: NodeState = {
      name,
      hostIp,
      ips: new PodIpAllocator(cidrs),
      images: new Set(),
      pods: new Map(),
      lastSeen: new Map(),
    };
    const entry: { state: NodeState; process?: Kubelet; stop: Stop } = { state, stop: () => {} };
    nodes.set(name, entry);
    entry.stop = runWhileUp(
      ctx.faults,
      () => !kubeletDown(ctx.faults, name),
      () => {
        entry.process = startKubelet(ctx, state);
        return () => {
          entry.process?.stop();
          entry.process = undefined;
        };
      },
    );
  };

  const removeNode = (name: string) => {
    nodes.get(name)?.stop();
    nodes.delete(name);
  };

  let stopped = false;
  const unwatch = store.watch('nodes', undefined, (e) => {
    setImmediate(() => {
      if (stopped) return;
      if (e.type === 'ADDED') addNode(e.object);
      if (e.type === 'DELETED') removeNode(e.object.metadata.name);
    });
  });
  for (const node of store.list('nodes')) addNode(node);

  return {
    stop: () => {
      stopped = true;
      unwatch();
      for (const name of [...nodes.keys()]) removeNode(name);
    },
    onContainerExit(namespace, podName, container, exitCode, reason, message) {
      const pod = store.get('pods', namespace, podName);
      const entry = pod?.spec?.nodeName ? nodes.get(pod.spec.nodeName) : undefined;
      if (!pod || !entry) return;
      if (entry.process) return entry.process.containerExited(pod, container, exitCode, reason, message);
      // The kubelet is down: the container is dead all the same; its kubelet sees it on resync.
      const record = entry.state.pods.get(pod.metadata.uid!)?.containers.get(container);
      if (record?.running) record.pendingExit = { exitCode, reason };
    },
  };
}
