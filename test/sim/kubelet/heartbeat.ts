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

/**
 * Fault `cni-missing`: no network config in /etc/cni/net.d, so containerd reports
 * NetworkReady=false and the kubelet posts Ready=False with the runtime's reason, as on a fresh
 * kubeadm cluster before a CNI plugin is installed (pkg/kubelet/nodestatus/setters.go ReadyCondition).
 */
export const NETWORK_NOT_READY =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** The conditions this node's kubelet posts now: healthy, or Ready=False without a CNI config. */
function wantedConditions(ctx: ControllerContext): Json[] {
  if (!ctx.faults.has('cni-missing')) return healthyConditions;
  return healthyConditions.map((c) =>
    c.type === 'Ready' ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY } : c,
  );
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
    const wanted = wantedConditions(ctx);
    const stale = (node.status?.conditions ?? []).some((c: Json) =>
      wanted.some((h) => h.type === c.type && (h.status !== c.status || h.reason !== c.reason)),
    );
    if (beats++ % beatsPerStatusPost !== 0 && !stale) return;
    mutate(ctx.store, 'nodes', undefined, nodeName, (n) => {
      let conditions: Json[] = n.status?.conditions ?? [];
      const t = timestamp(now);
      for (const c of wanted) conditions = setCondition(conditions, { ...c, lastHeartbeatTime: t }, t);
      n.status = { ...(n.status ?? {}), conditions: wanted.map((c) => conditions.find((x) => x.type === c.type)!) };
    });
  };
}
