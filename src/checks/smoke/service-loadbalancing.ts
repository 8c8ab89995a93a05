import type { CheckDefinition } from '../types.js';
import { recordAnswer, wgetFromClient } from './shared/client.js';
import { httpUrl } from './shared/ip.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `service.loadbalancing`: repeated calls to the ClusterIP reach more than one web pod. */
export function serviceLoadBalancing(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'service.loadbalancing',
    title: 'Repeated calls to the ClusterIP land on more than one pod',
    component: 'kube-proxy',
    prerequisites: ['pods.cross-node', 'endpoints.slices'],
    rbac: [...RBAC.readServices, ...RBAC.exec],
    deadlineMs: 30_000 + t.loadBalancingCalls * (t.wgetTimeoutSec + 5) * 1000,
    async run(ctx, w) {
      const clusterIp: string = (await ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx))).spec
        ?.clusterIP;
      // By IP, so DNS is not involved; one exec per call = one new connection each, as kube-proxy balances per connection.
      const answers: string[] = [];
      const errors: string[] = [];
      for (let i = 0; i < t.loadBalancingCalls; i++) {
        const out = await wgetFromClient(ctx, httpUrl(clusterIp, 80, '/hostname'), t.wgetTimeoutSec);
        if (out.ok) {
          answers.push(out.body.trim());
          recordAnswer(ctx, out.body);
        } else errors.push(out.message);
      }
      const distinct = [...new Set(answers)];
      const counts = Object.fromEntries(distinct.map((n) => [n, answers.filter((a) => a === n).length]));
      const evidence = { clusterIp, calls: t.loadBalancingCalls, answeredBy: counts, errors: [...new Set(errors)] };
      if (distinct.length >= 2) {
        return {
          status: 'passed',
          summary: `${answers.length}/${t.loadBalancingCalls} calls to ${clusterIp} answered by ${distinct.length} pods`,
          evidence,
        };
      }
      const summary =
        answers.length === 0
          ? `no call to ClusterIP ${clusterIp} answered (${[...new Set(errors)].join('; ')})`
          : `every answered call to ${clusterIp} landed on ${distinct[0]}${errors.length ? `; ${errors.length} failed` : ''}`;
      return {
        status: 'failed',
        summary,
        evidence,
        hint:
          answers.length === 0
            ? "kube-proxy has not programmed this Service's rules: check kube-proxy is running on the nodes (`iptables -t nat -L KUBE-SERVICES -n` / ipvsadm) and its logs (article 12)."
            : 'kube-proxy is not balancing over the endpoints: check its mode and rules (KUBE-SVC-* chains with probabilities, or IPVS scheduler) (article 12).',
      };
    },
  });
}
