import type { Condition, Node, Taint } from '../../kube/objects.js';
import type { CheckDefinition } from '../types.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';

/** Taints that keep ordinary pods (ours) off a node. */
export function blockingTaints(node: Node): string[] {
  const taints: Taint[] = node.spec?.taints ?? [];
  return taints
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/** Whether the node's Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  const conditions: Condition[] = node.status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Whether new pods may land on the node: Ready, not cordoned, no NoSchedule/NoExecute taint. */
export function isSchedulable(node: Node): boolean {
  return isNodeReady(node) && !node.spec?.unschedulable && blockingTaints(node).length === 0;
}

/** How stale a node Lease may be before we call the heartbeat lost (kubelet renews every ~10 s). */
const LEASE_STALE_FACTOR = 4;

export const nodesReady: CheckDefinition = {
  id: 'nodes.ready',
  title: 'Every node is Ready and heartbeating; at least one accepts workloads',
  group: 'smoke',
  component: 'kubelet',
  prerequisites: ['preflight.api'],
  disruptive: false,
  needsWorkload: false,
  rbac: RBAC.nodeHealth,
  deadlineMs: 30_000,
  async run(ctx) {
    const [{ items: nodes }, { items: leases }] = await Promise.all([
      ctx.cluster.list('nodes', {}, callOpts(ctx)),
      ctx.cluster.list('leases', { namespace: 'kube-node-lease' }, callOpts(ctx)),
    ]);
    const now = ctx.clock.now().getTime();
    const view = nodes.map((node) => {
      const name = node.metadata?.name ?? '';
      const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
      const lease = leases.find((l) => l.metadata?.name === name);
      const renew = Date.parse(lease?.spec?.renewTime ?? '');
      const duration = Number(lease?.spec?.leaseDurationSeconds) || 40;
      const leaseAgeSeconds = Number.isFinite(renew) ? Math.max(0, Math.round((now - renew) / 1000)) : undefined;
      return {
        name,
        ready: ready?.status ?? 'Unknown',
        reason: ready?.reason,
        message: ready?.message,
        unschedulable: Boolean(node.spec?.unschedulable),
        taints: blockingTaints(node),
        leaseAgeSeconds,
        leaseStale: leaseAgeSeconds !== undefined && leaseAgeSeconds > duration * LEASE_STALE_FACTOR,
        schedulable: isSchedulable(node),
      };
    });
    const notReady = view.filter((n) => n.ready !== 'True');
    const stale = view.filter((n) => n.leaseStale);
    const schedulable = view.filter((n) => n.schedulable);
    const evidence = { nodes: view, schedulable: schedulable.map((n) => n.name) };
    if (nodes.length === 0) {
      return {
        status: 'failed',
        summary: 'the cluster has no nodes',
        evidence,
        hint: 'No kubelet has registered: start the kubelets and check they reach the API server.',
      };
    }
    const problems = [
      ...notReady.map((n) => `${n.name} is not Ready (${n.reason ?? n.ready}${n.message ? `: ${n.message}` : ''})`),
      ...stale.map((n) => `${n.name}'s heartbeat Lease is ${n.leaseAgeSeconds}s old`),
    ];
    if (schedulable.length === 0)
      problems.push('no node accepts ordinary workloads (all cordoned, tainted or not Ready)');
    if (problems.length === 0) {
      return {
        status: 'passed',
        summary: `${nodes.length} node(s) Ready, ${schedulable.length} schedulable`,
        evidence,
      };
    }
    const cniHint = notReady.some((n) => /NetworkPluginNotReady|cni/i.test(n.message ?? ''))
      ? ' The message names the CNI: check the CNI configuration in /etc/cni/net.d on that node.'
      : '';
    return {
      status: 'failed',
      summary: problems.join('; '),
      evidence,
      hint:
        'On each named node: `systemctl status kubelet` and `journalctl -u kubelet`; a NotReady node with a stale Lease has a stopped kubelet.' +
        cniHint +
        (schedulable.length === 0
          ? ' Uncordon a worker (`kubectl uncordon <node>`) or remove the NoSchedule taint.'
          : ''),
    };
  },
};
