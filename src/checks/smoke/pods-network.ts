import { ipv4InCidr } from './shared/cidr.js';
import { webPodsAndNodes } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

export const podsNetwork = workloadCheck({
  id: 'pods.network',
  title: "Each pod runs with an IP from its node's pod CIDR",
  component: 'pod-network',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.readNodes],
  deadlineMs: 30_000,
  async run(ctx) {
    const { pods, nodes } = await webPodsAndNodes(ctx);
    const cidrsOf = (node?: string) => {
      const n = nodes.find((x) => x.metadata?.name === node);
      const cidrs: string[] = n?.spec?.podCIDRs ?? (n?.spec?.podCIDR ? [n.spec.podCIDR] : []);
      return cidrs;
    };
    const rows = pods.map((p) => {
      const cidrs = cidrsOf(p.node);
      const verdicts = cidrs.map((c) => ipv4InCidr(p.ip ?? '', c));
      const inCidr = verdicts.includes(true)
        ? true
        : verdicts.includes(false) && !verdicts.includes(undefined)
          ? false
          : undefined;
      return { pod: p.name, node: p.node, ip: p.ip, podCIDRs: cidrs, inCidr };
    });
    const outside = rows.filter((r) => r.inCidr === false);
    const unknown = rows.filter((r) => r.inCidr === undefined);
    const noIp = rows.filter((r) => !r.ip);
    const evidence = { pods: rows, cidrUnknownFor: unknown.map((r) => r.pod) };
    if (outside.length === 0 && noIp.length === 0) {
      const note = unknown.length
        ? ` (pod CIDR unknown for ${unknown.map((r) => r.node).join(', ')}: nodes publish no spec.podCIDR, IP range not verified)`
        : '';
      return {
        status: 'passed',
        summary: `${rows.length} pods Running, ${rows.length - unknown.length} with an IP inside their node's pod CIDR${note}`,
        evidence,
      };
    }
    return {
      status: 'failed',
      summary: [
        ...outside.map((r) => `${r.pod} has ${r.ip}, outside ${r.node}'s ${r.podCIDRs.join(',')}`),
        ...noIp.map((r) => `${r.pod} has no IP`),
      ].join('; '),
      evidence,
      hint: "The CNI's IPAM does not use the node's pod CIDR: check the CNI configuration's subnet on those nodes against `kubectl get node -o jsonpath='{.spec.podCIDR}'` (article 14).",
    };
  },
});
