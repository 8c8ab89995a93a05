/**
 * The kubelet's heartbeats: it renews its Lease in kube-node-lease every interval and posts
 * the node conditions (Ready, MemoryPressure, DiskPressure, PIDPressure) when they change
 * and every few beats otherwise, as the real kubelet's two status loops do.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext } from '../controllers/kit/context.js';
import { type Json, microTimestamp, mutate, setCondition, timestamp } from '../controllers/kit/objects.js';

/** How many Lease renewals pass between two node status posts when nothing changed. */
const beatsPerStatusPost = 5;

const healthyConditions: Json[] = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
  },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

export function leaseFor(node: KubeObj, renewTime: string): KubeObj {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid! }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime },
  };
}

/** The conditions a healthy kubelet posts, heartbeat time refreshed. */
export function healthyNodeConditions(previous: Json[], now: string): Json[] {
  let conditions = previous;
  for (const c of healthyConditions) conditions = setCondition(conditions, { ...c, lastHeartbeatTime: now }, now);
  return healthyConditions.map((c) => conditions.find((x) => x.type === c.type)!);
}

export function createHeartbeat(ctx: ControllerContext, nodeName: string): () => void {
  let beats = 0;
  return () => {
    const node = ctx.store.get('nodes', undefined, nodeName);
    if (!node) return;
    const now = ctx.clock();
    const lease = ctx.store.get('leases', 'kube-node-lease', nodeName);
    if (lease) {
      lease.spec = { ...lease.spec, holderIdentity: nodeName, renewTime: microTimestamp(now) };
      ctx.store.update('leases', lease);
    } else {
      ctx.store.create('leases', leaseFor(node, microTimestamp(now)));
    }
    const stale = (node.status?.conditions ?? []).some((c: Json) =>
      healthyConditions.some((h) => h.type === c.type && (h.status !== c.status || h.reason !== c.reason)),
    );
    if (beats++ % beatsPerStatusPost !== 0 && !stale) return;
    mutate(ctx.store, 'nodes', undefined, nodeName, (n) => {
      n.status = { ...(n.status ?? {}), conditions: healthyNodeConditions(n.status?.conditions ?? [], timestamp(now)) };
    });
  };
}
