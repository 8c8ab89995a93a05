import type { Node, Pod, Toleration } from '../../kube/objects.js';
import { isSchedulable } from './nodes-ready.js';
import { callOpts, webPodsAndNodes } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

/**
 * What proves the scheduler works is not a perfect spread — kube-scheduler spreads softly and
 * weighs free resources too, so on a healthy cluster with unevenly loaded nodes 3 replicas may
 * well land 2 + 1 + 0. The rule:
 *
 * 1. Every web pod is bound to a node that is schedulable (Ready, not cordoned, no NoSchedule
 *    taint the pod does not tolerate): the scheduler only picks feasible nodes.
 * 2. With 3 or more replicas, they are not all on one node while another schedulable node has
 *    room for one more (its allocatable CPU and memory minus the requests of the pods kubeproof
 *    can see there cover a web pod's requests) and nothing softly steers pods away from it (no
 *    PreferNoSchedule taint the pod does not tolerate, no preferred node affinity on the pod).
 *
 * Why 3: the default profile's PodTopologySpread (system default constraint
 * `kubernetes.io/hostname`, maxSkew 3, ScheduleAnyway, score weight 2) gives a node holding two
 * replicas a normalized score of at most 100 × 2 / (2·log(n+2) + 2) ≤ 42 against 100 for a node
 * with none — a lead of ≥ 116 weighted points, more than NodeResourcesFit's least-allocated score
 * (weight 1, 0–100) plus BalancedAllocation can take back. So the third replica never joins the
 * other two while a feasible node is free; with only 2 replicas a crowded node may legitimately
 * lose both, and only rule 1 applies. TaintToleration (weight 3) and NodeAffinity (weight 2)
 * preferences can outweigh spreading, which is why nodes they steer away from do not count. (pkg/scheduler/framework/plugins/podtopologyspread,
 * noderesources; weights in pkg/scheduler/apis/config/v1/default_plugins.go.)
 *
 * kubeproof sees only its own namespace's pods (least privilege), so "room" can overestimate a
 * node packed by other workloads; the hint says how to tell.
 */
export const schedulerSpread = workloadCheck({
  id: 'scheduler.spread',
  title: 'The web pods are spread over several nodes',
  component: 'scheduler',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.listNodes],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const { pods, nodes } = await webPodsAndNodes(ctx);
    const { items: nsPods } = await ctx.cluster.list('pods', { namespace: w.namespace }, callOpts(ctx));
    const schedulable = nodes.filter(isSchedulable);
    const names = new Set(schedulable.map((n) => n.metadata?.name ?? ''));
    const byNode: Record<string, string[]> = {};
    for (const p of pods) {
      const node = p.node ?? '(none)';
      byNode[node] = [...(byNode[node] ?? []), p.name];
    }
    const webPod = nsPods.find((p) => matchesWeb(p, w.webSelector));
    const preferring = Boolean(
      webPod?.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length,
    );
    const withRoom = schedulable
      .filter((n) => webPod !== undefined && !preferring && !softlyRepels(n, webPod) && hasRoom(n, nsPods, webPod))
      .map((n) => n.metadata?.name ?? '');
    const used = Object.keys(byNode);
    const evidence = { podsByNode: byNode, schedulableNodes: [...names], nodesWithRoomForAnother: withRoom };

    const infeasible = pods.filter((p) => !p.node || !names.has(p.node));
    if (infeasible.length > 0) {
      return {
        status: 'failed',
        summary: `${infeasible.map((p) => `${p.name} on ${p.node ?? '(no node)'}`).join(', ')}: not a schedulable node`,
        evidence,
        hint: 'The scheduler bound a pod to a node that is not Ready, cordoned or tainted: check kube-scheduler and the node (article 8).',
      };
    }
    const only = used.length === 1 ? used[0]! : undefined;
    const elsewhere = withRoom.filter((n) => n !== only);
    if (only && pods.length >= 3 && elsewhere.length > 0) {
      return {
        status: 'failed',
        summary: `all ${pods.length} pods landed on ${only} although ${elsewhere.join(', ')} had room for more`,
        evidence,
        hint: `kube-scheduler's default spreading (PodTopologySpread, hostname) would not put a third replica next to two while ${elsewhere[0]} is free: check the scheduler's profile and plugins (article 8); if ${elsewhere[0]} is really full, \`kubectl describe node ${elsewhere[0]}\` shows it under Allocated resources.`,
      };
    }
    return {
      status: 'passed',
      summary: `${pods.length} pods over ${used.length} node(s) (${used.map((n) => `${n}: ${byNode[n]!.length}`).join(', ')}), each on a schedulable node`,
      evidence,
    };
  },
});

const matchesWeb = (p: Pod, webSelector: Readonly<Record<string, string>>) =>
  Object.entries(webSelector).every(([k, v]) => p.metadata?.labels?.[k] === v) && Boolean(p.spec?.containers);

/** `500m`/`2` → millicores; `16Mi`/`1G`/`1024` → bytes. */
function quantity(value: unknown, milli: boolean): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value ?? '0'));
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const factors: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  if (unit === 'm') return milli ? n : n / 1000;
  return n * (factors[unit] ?? 1) * (milli ? 1000 : 1);
}

function requests(p: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of p.spec?.containers ?? []) {
    cpu += quantity(c.resources?.requests?.cpu, true);
    memory += quantity(c.resources?.requests?.memory, false);
  }
  return { cpu, memory };
}

/** A PreferNoSchedule taint the pod does not tolerate (TaintToleration scores the node down). */
function softlyRepels(node: Node, pod: Pod): boolean {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  return (node.spec?.taints ?? []).some(
    (t) =>
      t.effect === 'PreferNoSchedule' &&
      !tolerations.some(
        (tol) =>
          (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
          (tol.key === t.key && (tol.value ?? '') === (t.value ?? '') && (!tol.effect || tol.effect === t.effect)),
      ),
  );
}

/** Allocatable minus the requests of the pods we can see there still fits one web pod. */
function hasRoom(node: Node, visible: Pod[], web: Pod): boolean {
  const alloc = {
    cpu: quantity(node.status?.allocatable?.cpu, true),
    memory: quantity(node.status?.allocatable?.memory, false),
  };
  const want = requests(web);
  const used = visible
    .filter((p) => p.spec?.nodeName === node.metadata?.name)
    .reduce(
      (sum, p) => {
        const r = requests(p);
        return { cpu: sum.cpu + r.cpu, memory: sum.memory + r.memory };
      },
      { cpu: 0, memory: 0 },
    );
  return used.cpu + want.cpu <= alloc.cpu && used.memory + want.memory <= alloc.memory;
}
