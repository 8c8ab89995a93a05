import type { KubeObject } from '../../kube/cluster-access.js';
import { type IpFamily, ipFamily, ipInCidr } from './shared/ip.js';
import { type PodView, webPodsAndNodes } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

/** `spec.podCIDRs` (one per family on a dual-stack node), or `spec.podCIDR` from older servers. */
export function nodePodCidrs(node: KubeObject | undefined): string[] {
  const listed: string[] = node?.spec?.podCIDRs ?? [];
  if (listed.length > 0) return listed;
  return node?.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

export interface PodRangeRow {
  pod: string;
  node?: string;
  ips: string[];
  ranges: string[];
  /** true: every IP inside a range of its family; false: one outside; undefined: not judged. */
  inRange: boolean | undefined;
  /** IPs outside every range of their family. */
  outside: string[];
  /** Families the ranges have that the pod has no IP of (a dual-stack node, a single-stack pod). */
  missingFamilies: IpFamily[];
}

/**
 * Judges one pod's IPs against ranges: each IP inside a range of its own family, and one IP of
 * each family the ranges have (a dual-stack node gives every pod an address of each family).
 * An IP whose family has no range is not judged.
 */
export function judgePod(p: PodView, ranges: readonly string[]): PodRangeRow {
  const families = new Set(ranges.map((r) => ipFamily(r.split('/')[0] ?? '')).filter((f) => f !== undefined));
  const judged = p.ips.filter((ip) => families.has(ipFamily(ip) as IpFamily));
  const outside = judged.filter((ip) => !ranges.some((r) => ipInCidr(ip, r) === true));
  const missingFamilies = [...families].filter((f) => !p.ips.some((ip) => ipFamily(ip) === f));
  const inRange = judged.length === 0 ? undefined : outside.length === 0 && missingFamilies.length === 0 ? true : false;
  const row: PodRangeRow = { pod: p.name, ips: p.ips, ranges: [...ranges], inRange, outside, missingFamilies };
  if (p.node) row.node = p.node;
  return row;
}

export const podsNetwork = workloadCheck({
  id: 'pods.network',
  title: "Each pod runs with an IP from its node's pod CIDR",
  component: 'pod-network',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.readNodes],
  deadlineMs: 30_000,
  async run(ctx) {
    const { pods, nodes } = await webPodsAndNodes(ctx);
    const rows = pods.map((p) => judgePod(p, nodePodCidrs(nodes.find((n) => n.metadata?.name === p.node))));
    const bad = rows.filter((r) => r.inRange === false);
    const unknown = rows.filter((r) => r.inRange === undefined && r.ips.length > 0);
    const noIp = rows.filter((r) => r.ips.length === 0);
    const evidence = { pods: rows, cidrUnknownFor: unknown.map((r) => r.pod) };
    if (bad.length === 0 && noIp.length === 0) {
      const note = unknown.length
        ? ` (pod CIDR unknown for ${[...new Set(unknown.map((r) => r.node))].join(', ')}: nodes publish no spec.podCIDRs of the pods' family, IP range not verified)`
        : '';
      return {
        status: 'passed',
        summary: `${rows.length} pods Running, ${rows.length - unknown.length} with every IP inside their node's pod CIDRs${note}`,
        evidence,
      };
    }
    return {
      status: 'failed',
      summary: [
        ...bad.flatMap((r) => [
          ...r.outside.map((ip) => `${r.pod} has ${ip}, outside ${r.node}'s ${r.ranges.join(',')}`),
          ...r.missingFamilies.map((f) => `${r.pod} has no ${f} address although ${r.node} has ${r.ranges.join(',')}`),
        ]),
        ...noIp.map((r) => `${r.pod} has no IP`),
      ].join('; '),
      evidence,
      hint: "The CNI's IPAM does not use the node's pod CIDRs: check the CNI configuration's subnet on those nodes against `kubectl get node -o jsonpath='{.spec.podCIDRs}'` (article 14).",
    };
  },
});
