import type { CheckDefinition } from '../types.js';
import { isSchedulable } from './nodes-ready.js';
import { callOpts, readyWebPods, requireWorkload } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';

export const schedulerSpread: CheckDefinition = {
  id: 'scheduler.spread',
  title: 'The web pods are spread over several nodes',
  group: 'smoke',
  component: 'scheduler',
  prerequisites: ['workload.rollout'],
  disruptive: false,
  needsWorkload: true,
  rbac: [...RBAC.readPods, ...RBAC.readNodes],
  deadlineMs: 30_000,
  async run(ctx) {
    const w = requireWorkload(ctx);
    const [pods, { items: nodes }] = await Promise.all([
      readyWebPods(ctx),
      ctx.cluster.list('nodes', {}, callOpts(ctx)),
    ]);
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
};
