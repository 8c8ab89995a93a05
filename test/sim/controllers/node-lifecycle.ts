/**
 * Node lifecycle controller: watches each node's Lease; a node whose kubelet has not renewed
 * it for nodeMonitorGraceMs gets its conditions set to Unknown (`NodeStatusUnknown`,
 * `Kubelet stopped posting node status.`), the unreachable NoSchedule/NoExecute taints, and
 * its pods marked not Ready. It also keeps the taints that mirror conditions
 * (TaintNodesByCondition): not-ready, unreachable, unschedulable.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { conditionOf, type Json, mutate, setCondition, timestamp } from './kit/objects.js';

const unreachable = 'node.kubernetes.io/unreachable';
const notReady = 'node.kubernetes.io/not-ready';
const unschedulable = 'node.kubernetes.io/unschedulable';
const nodeConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function startNodeLifecycleController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  return startLoop(ctx, {
    name: 'node-lifecycle-controller',
    watches: {
      nodes: (e) => (e.type === 'DELETED' ? [] : [e.object.metadata.name]),
      leases: (e) => (e.object.metadata.namespace === 'kube-node-lease' ? [e.object.metadata.name] : []),
    },
    initialKeys: () => store.list('nodes').map((n) => n.metadata.name),
    sync: (name, loop) => {
      const node = store.get('nodes', undefined, name);
      if (!node) return;
      const lease = store.get('leases', 'kube-node-lease', name);
      const renewed =
        Date.parse(lease?.spec?.renewTime ?? node.metadata.creationTimestamp ?? '') || ctx.clock().getTime();
      const silentFor = ctx.clock().getTime() - renewed;
      const grace = ctx.timings.nodeMonitorGraceMs;
      if (silentFor >= grace) markUnknown(ctx, node);
      else loop.timers.set(`grace:${name}`, grace - silentFor + 1, () => loop.queue.add(name));
      syncTaints(ctx, name);
    },
  });
}

function markUnknown(ctx: ControllerContext, node: KubeObj): void {
  if (conditionOf(node, 'Ready')?.status === 'Unknown') return;
  const now = timestamp(ctx.clock());
  mutate(ctx.store, 'nodes', undefined, node.metadata.name, (n) => {
    let conditions: Json[] = n.status?.conditions ?? [];
    for (const type of nodeConditions) {
      const before = conditions.find((c) => c.type === type);
      conditions = setCondition(
        conditions,
        {
          type,
          status: 'Unknown',
          lastHeartbeatTime: before?.lastHeartbeatTime ?? now,
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        },
        now,
      );
    }
    n.status = { ...(n.status ?? {}), conditions };
  });
  markPodsNotReady(ctx, node.metadata.name, now);
}

/** MarkPodsNotReady: the pods of an unreachable node stop counting as ready endpoints. */
function markPodsNotReady(ctx: ControllerContext, nodeName: string, now: string): void {
  for (const pod of ctx.store.list('pods').filter((p) => p.spec?.nodeName === nodeName)) {
    if (conditionOf(pod, 'Ready')?.status !== 'True') continue;
    mutate(ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status.conditions = setCondition(
        p.status.conditions,
        { type: 'Ready', status: 'False', lastProbeTime: null },
        now,
      );
    });
  }
}

/** The taints the node's conditions and spec.unschedulable call for. */
function wantedTaints(node: KubeObj): Array<{ key: string; effect: string }> {
  const ready = conditionOf(node, 'Ready')?.status;
  const wanted: Array<{ key: string; effect: string }> = [];
  if (ready === 'Unknown')
    wanted.push({ key: unreachable, effect: 'NoSchedule' }, { key: unreachable, effect: 'NoExecute' });
  if (ready === 'False') wanted.push({ key: notReady, effect: 'NoSchedule' }, { key: notReady, effect: 'NoExecute' });
  if (node.spec?.unschedulable) wanted.push({ key: unschedulable, effect: 'NoSchedule' });
  return wanted;
}

function syncTaints(ctx: ControllerContext, name: string): void {
  const managed = new Set([unreachable, notReady, unschedulable]);
  mutate(ctx.store, 'nodes', undefined, name, (node) => {
    const current: Json[] = node.spec?.taints ?? [];
    const wanted = wantedTaints(node);
    const kept = current.filter(
      (t) => !managed.has(t.key) || wanted.some((w) => w.key === t.key && w.effect === t.effect),
    );
    const added = wanted
      .filter((w) => !current.some((t) => t.key === w.key && t.effect === w.effect))
      .map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: timestamp(ctx.clock()) } : w));
    const taints = [...kept, ...added];
    if (taints.length > 0) node.spec = { ...(node.spec ?? {}), taints };
    else if (node.spec) delete node.spec.taints;
  });
}
