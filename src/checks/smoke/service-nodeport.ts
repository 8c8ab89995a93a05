import type { KubeObject } from '../../kube/cluster-access.js';
import type { CheckDefinition } from '../types.js';
import { recordAnswer, wgetFromClient } from './shared/client.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

const internalIp = (node: KubeObject): string | undefined =>
  (node.status?.addresses as KubeObject[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;

/** `service.nodeport`: the NodePort Service answers from the client pod on every node's InternalIP. */
export function serviceNodePort(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'service.nodeport',
    title: "The NodePort answers on every node's InternalIP",
    component: 'kube-proxy-nodeport',
    prerequisites: ['pods.cross-node', 'endpoints.slices'],
    rbac: [...RBAC.readServices, ...RBAC.readNodes, ...RBAC.exec],
    deadlineMs: 60_000,
    async run(ctx, w) {
      const [svc, { items: nodes }] = await Promise.all([
        ctx.cluster.get('services', w.nodePortServiceName, w.namespace, callOpts(ctx)),
        ctx.cluster.list('nodes', {}, callOpts(ctx)),
      ]);
      const nodePort: number | undefined = svc.spec?.ports?.[0]?.nodePort;
      if (!nodePort) {
        return {
          status: 'failed',
          summary: `Service ${w.nodePortServiceName} got no nodePort`,
          evidence: { service: svc.spec },
          hint: 'The API server did not allocate a NodePort: check --service-node-port-range.',
        };
      }
      const calls = await Promise.all(
        nodes.map(async (n) => {
          const node = n.metadata?.name ?? '';
          const ip = internalIp(n);
          if (!ip) return { node, ok: false, error: 'node publishes no InternalIP' };
          const out = await wgetFromClient(ctx, `http://${ip}:${nodePort}/hostname`, t.wgetTimeoutSec);
          if (out.ok) recordAnswer(ctx, out.body);
          return {
            node,
            ip,
            ok: out.ok,
            answeredBy: out.ok ? out.body.trim() : undefined,
            error: out.ok ? undefined : out.message,
          };
        }),
      );
      const failing = calls.filter((c) => !c.ok);
      const evidence = { nodePort, calls };
      if (failing.length === 0) {
        return { status: 'passed', summary: `NodePort ${nodePort} answered on all ${calls.length} nodes`, evidence };
      }
      return {
        status: 'failed',
        summary: `NodePort ${nodePort} fails on ${failing.map((c) => `${c.node} (${c.error})`).join(', ')}`,
        evidence,
        hint: `Check kube-proxy on ${failing.map((c) => c.node).join(', ')}: \`systemctl status kube-proxy\`, \`iptables -t nat -L KUBE-NODEPORTS -n | grep ${nodePort}\`, and any host firewall on that port (article 12).`,
      };
    },
  });
}
