import type { KubeObject } from '../../kube/cluster-access.js';
import type { CheckDefinition } from '../types.js';
import { recordAnswer, wgetFromClient } from './shared/client.js';
import { httpUrl, ipFamily } from './shared/ip.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { serviceFamilies } from './shared/service-ips.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/**
 * The node's InternalIPs the Service's families use: a dual-stack node lists one per family, and
 * kube-proxy opens the NodePort on the addresses of each family the Service has.
 */
export function nodePortAddresses(node: KubeObject, families: readonly string[]): string[] {
  const internal = ((node.status?.addresses ?? []) as KubeObject[])
    .filter((a) => a.type === 'InternalIP' && typeof a.address === 'string')
    .map((a) => a.address as string);
  return internal.filter((ip) => families.includes(ipFamily(ip) ?? ''));
}

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
      const families = serviceFamilies(svc);
      const targets = nodes.flatMap((n): Array<{ node: string; ip: string | undefined }> => {
        const node = n.metadata?.name ?? '';
        const ips = nodePortAddresses(n, families);
        return ips.length > 0 ? ips.map((ip) => ({ node, ip })) : [{ node, ip: undefined }];
      });
      const calls = await Promise.all(
        targets.map(async ({ node, ip }) => {
          if (!ip) return { node, ok: false, error: `node publishes no ${families.join('/')} InternalIP` };
          const out = await wgetFromClient(ctx, httpUrl(ip, nodePort, '/hostname'), t.wgetTimeoutSec);
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
        return {
          status: 'passed',
          summary: `NodePort ${nodePort} answered on all ${nodes.length} nodes${calls.length > nodes.length ? ` (${calls.length} addresses, ${families.join(' and ')})` : ''}`,
          evidence,
        };
      }
      return {
        status: 'failed',
        summary: `NodePort ${nodePort} fails on ${failing.map((c) => `${c.node}${c.ip ? ` ${c.ip}` : ''} (${c.error})`).join(', ')}`,
        evidence,
        hint: `Check kube-proxy on ${[...new Set(failing.map((c) => c.node))].join(', ')}: \`systemctl status kube-proxy\`, \`iptables -t nat -L KUBE-NODEPORTS -n | grep ${nodePort}\`, and any host firewall on that port (article 12).`,
      };
    },
  });
}
