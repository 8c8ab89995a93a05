import { isSchedulable } from './nodes-ready.js';
import { webPodsAndNodes } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

export const schedulerSpread = workloadCheck({
  id: 'scheduler.spread',
  title: 'The web pods are spread over several nodes',
  component: 'scheduler',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.readNodes],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const { pods, nodes } = await webPodsAndNodes(ctx);
    const schedulable = nodes.filter(isSchedulable).map((n) => n.metadata?.name ?? '');
    const byNode: Record<string, string[]> = {};
    for (const p of pods) {
      const node = p.node ?? '(none)';
      byNode[node] = [...(byNode[node] ?? []), p.name];
    }
    const expected = Math.min(w.replicas, Math.max(1, schedulable.length));
    const used = Object.keys(byNode).length;
    const evidence = { podsByNode: byNode, schedulableNodes: schedulable, expectedNodes: expected };
    if (used >= expected) {
      return {
        status: 'passed',
        summary: `${pods.length} pods over ${used} node(s) (${Object.keys(byNode).join(', ')})`,
        evidence,
      };
    }
    return {
      status: 'failed',
      summary: `pods landed on ${used} node(s) although ${schedulable.length} are schedulable`,
      evidence,
      hint: 'The scheduler did not spread the replicas: check kube-scheduler configuration and node labels/taints/resources (article 8).',
    };
  },
});
