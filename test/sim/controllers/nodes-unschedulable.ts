/**
 * The `nodes-unschedulable` fault: every node cordoned as `kubectl cordon` does it
 * (spec.unschedulable = true, plus the node.kubernetes.io/unschedulable:NoSchedule taint the
 * node lifecycle controller adds); lifting the fault uncordons exactly the nodes it cordoned.
 */
import type { ControllerContext, Stop } from './kit/context.js';
import { type Json, mutate } from './kit/objects.js';

const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const fault = 'nodes-unschedulable';

export function startNodesUnschedulableFault(ctx: ControllerContext): Stop {
  const { store, faults } = ctx;
  const cordoned = new Set<string>();
  const cordon = (name: string) => {
    const node = store.get('nodes', undefined, name);
    if (!node) return;
    if (!node.spec?.unschedulable) cordoned.add(name);
    mutate(store, 'nodes', undefined, name, (n) => {
      n.spec = { ...(n.spec ?? {}), unschedulable: true };
      const taints: Json[] = n.spec.taints ?? [];
      if (!taints.some((t) => t.key === taint.key)) n.spec.taints = [...taints, taint];
    });
  };
  const uncordon = (name: string) =>
    mutate(store, 'nodes', undefined, name, (n) => {
      delete n.spec.unschedulable;
      const taints = (n.spec.taints ?? []).filter((t: Json) => t.key !== taint.key);
      if (taints.length > 0) n.spec.taints = taints;
      else delete n.spec.taints;
    });
  const apply = () => {
    if (faults.has(fault)) {
      for (const node of store.list('nodes')) cordon(node.metadata.name);
    } else {
      for (const name of cordoned) uncordon(name);
      cordoned.clear();
    }
  };
  const unsubscribeFaults = faults.onChange(apply);
  // Nodes that join while the fault is on are cordoned too.
  const unwatch = store.watch('nodes', undefined, (e) => {
    if (e.type === 'ADDED' && faults.has(fault)) setImmediate(() => !stopped && cordon(e.object.metadata.name));
  });
  let stopped = false;
  apply();
  return () => {
    stopped = true;
    unsubscribeFaults();
    unwatch();
  };
}
