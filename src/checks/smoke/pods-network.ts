import { clusterShape } from '../shape/detect.js';
import { nodePodCidrs, rangePlan } from '../shape/pod-ranges.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import { type IpFamily, ipFamily, ipInCidr } from './shared/ip.js';
import { type PodView, webPodsAndNodes } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

export { nodePodCidrs };

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
  const inRange = judged.length === 0 ? undefined : outside.length === 0 && missingFamilies.length === 0;
  const row: PodRangeRow = { pod: p.name, ips: p.ips, ranges: [...ranges], inRange, outside, missingFamilies };
  if (p.node) row.node = p.node;
  return row;
}

const HINTS = {
  'node-podcidrs':
    "The CNI's IPAM does not use the node's pod CIDRs: check the CNI configuration's subnet on those nodes against `kubectl get node -o jsonpath='{.spec.podCIDRs}'` (article 14).",
  'cni-pools':
    "Pod IPs come from outside the CNI's own pools: check the pools (Calico: `kubectl get ippools.crd.projectcalico.org -o yaml`, `calicoctl ipam show`; Cilium: `kubectl -n kube-system get cm cilium-config -o yaml`, `kubectl get ciliumnodes`) and whether a second CNI configuration in /etc/cni/net.d took over (article 14).",
  'cluster-cidr':
    "Pod IPs come from outside the cluster's pod CIDR: compare the CNI's configured range with kube-controller-manager's --cluster-cidr (kubeadm: `kubectl -n kube-system get cm kubeadm-config -o yaml`, networking.podSubnet) (article 14).",
  unknown: 'Pod IPs could not be judged against a range.',
} as const;

export const podsNetwork = workloadCheck({
  id: 'pods.network',
  title: 'Each pod runs with an IP from the ranges the cluster allocates pod IPs from',
  component: 'pod-network',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.listNodes, ...SHAPE_RBAC],
  deadlineMs: 30_000,
  async run(ctx) {
    const [{ pods, nodes }, shape] = await Promise.all([webPodsAndNodes(ctx), clusterShape(ctx.cluster)]);
    const plan = rangePlan(shape, nodes);
    const rows = pods.map((p) => judgePod(p, plan.rangesFor(p.node)));
    const bad = rows.filter((r) => r.inRange === false);
    const unknown = rows.filter((r) => r.inRange === undefined && r.ips.length > 0);
    const noIp = rows.filter((r) => r.ips.length === 0);
    const evidence = {
      ranges: { source: plan.source, from: plan.from },
      cni: shape.cni,
      pods: rows,
      cidrUnknownFor: unknown.map((r) => r.pod),
      ...(shape.unseen.length ? { notVisible: shape.unseen } : {}),
    };
    const where = plan.source === 'node-podcidrs' ? "their node's pod CIDRs" : `${plan.from}`;
    if (bad.length === 0 && noIp.length === 0) {
      const warnings =
        unknown.length === 0
          ? []
          : [
              plan.source === 'unknown'
                ? `pod IP range unknown (${plan.from}): ${unknown.length} pod(s) not verified against a range`
                : `no range of the pods' address family for ${[...new Set(unknown.map((r) => r.node))].join(', ')} (${plan.from}): ${unknown.length} pod(s) not verified`,
            ];
      return {
        status: 'passed',
        summary:
          plan.source === 'unknown'
            ? `${rows.length} pods Running with IPs; pod CIDR unknown (${plan.from}): range not verified`
            : `${rows.length} pods Running, ${rows.length - unknown.length} with every IP inside ${where}`,
        evidence,
        ...(warnings.length ? { warnings } : {}),
      };
    }
    const rangeText = (r: PodRangeRow) =>
      plan.source === 'node-podcidrs' ? `${r.node}'s ${r.ranges.join(',')}` : `${r.ranges.join(',')} (${plan.from})`;
    return {
      status: 'failed',
      summary: [
        ...bad.flatMap((r) => [
          ...r.outside.map((ip) => `${r.pod} has ${ip}, outside ${rangeText(r)}`),
          ...r.missingFamilies.map((f) => `${r.pod} has no ${f} address although ${rangeText(r)} has that family`),
        ]),
        ...noIp.map((r) => `${r.pod} has no IP`),
      ].join('; '),
      evidence,
      hint: HINTS[plan.source],
    };
  },
});
