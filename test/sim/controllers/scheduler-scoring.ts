/**
 * kube-scheduler's default profile, score side (pkg/scheduler/apis/config/v1/default_plugins.go
 * weights; each plugin's score normalized to 0..100 and multiplied by its weight; the highest sum
 * wins):
 *
 * - PodTopologySpread, weight 2, with the system default constraints for pods owned by a
 *   Service/ReplicaSet/StatefulSet (podtopologyspread/plugin.go systemDefaultConstraints):
 *   `kubernetes.io/hostname` maxSkew 3 and `topology.kubernetes.io/zone` maxSkew 5, both
 *   ScheduleAnyway. Per node: Σ count(matching pods in the node's domain) × log(domains + 2) +
 *   (maxSkew − 1); normalized as 100 × (max + min − s) / max (scoring.go), so fewer siblings score
 *   higher. A constraint whose key a node lacks is skipped for that node.
 * - NodeResourcesFit, weight 1, LeastAllocated: Σ over cpu and memory (weight 1 each) of
 *   (allocatable − requested) × 100 / allocatable, averaged; requested counts every pod on the
 *   node plus this one, a container without requests as 100m CPU / 200 MiB (schedutil
 *   DefaultMilliCPURequest, DefaultMemoryRequest).
 * - TaintToleration, weight 3: fewer untolerated PreferNoSchedule taints score higher.
 * - NodeAffinity, weight 2: the weights of the preferred terms that match, normalized to 100.
 *
 * Not simulated: NodeResourcesBalancedAllocation, ImageLocality, InterPodAffinity, VolumeBinding
 * (constant for the pods the sim runs). Ties: the real scheduler picks at random among the best;
 * the sim takes the first by name, so runs are reproducible.
 */
import type { KubeObj } from '../contracts.js';
import { controllerOf, isPodActive, type Json, tolerates } from './kit/objects.js';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: HOSTNAME, maxSkew: 3 },
  { topologyKey: ZONE, maxSkew: 5 },
];
const WEIGHTS = { spread: 2, fit: 1, taints: 3, affinity: 2 };
const MAX = 100;
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** `500m`, `2`, `1.5` → millicores; `128Mi`, `1G`, `1024` → bytes. */
export function parseQuantity(value: unknown, milli = false): number {
  if (value === undefined || value === null) return 0;
  const s = String(value);
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const decimal: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  if (unit === 'm') return milli ? n : n / 1000;
  const factor = binary[unit] ?? decimal[unit] ?? 1;
  return milli ? n * factor * 1000 : n * factor;
}

/** The pod's requests (sum over containers): `nonZero` applies the scheduler's defaults for scoring. */
export function podRequests(pod: KubeObj, nonZero: boolean): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of (pod.spec?.containers ?? []) as Json[]) {
    const req = c.resources?.requests ?? {};
    const cpuReq = parseQuantity(req.cpu, true);
    const memReq = parseQuantity(req.memory);
    cpu += nonZero && req.cpu === undefined ? DEFAULT_MILLI_CPU : cpuReq;
    memory += nonZero && req.memory === undefined ? DEFAULT_MEMORY : memReq;
  }
  return { cpu, memory };
}

export function allocatableOf(node: KubeObj): { cpu: number; memory: number } {
  const a = node.status?.allocatable ?? {};
  return { cpu: parseQuantity(a.cpu, true), memory: parseQuantity(a.memory) };
}

const podsOn = (node: KubeObj, pods: KubeObj[]) =>
  pods.filter((p) => p.spec?.nodeName === node.metadata.name && isPodActive(p));

/** NodeResourcesFit's filter: the pod's requests fit what the node's pods leave free. */
export function insufficientResources(pod: KubeObj, node: KubeObj, pods: KubeObj[]): string | undefined {
  const want = podRequests(pod, false);
  const alloc = allocatableOf(node);
  const used = podsOn(node, pods).reduce(
    (sum, p) => {
      const r = podRequests(p, false);
      return { cpu: sum.cpu + r.cpu, memory: sum.memory + r.memory };
    },
    { cpu: 0, memory: 0 },
  );
  if (alloc.cpu > 0 && want.cpu > 0 && used.cpu + want.cpu > alloc.cpu) return 'Insufficient cpu';
  if (alloc.memory > 0 && want.memory > 0 && used.memory + want.memory > alloc.memory) return 'Insufficient memory';
  return undefined;
}

function leastAllocated(pod: KubeObj, node: KubeObj, pods: KubeObj[], most = false): number {
  const alloc = allocatableOf(node);
  const requested = [pod, ...podsOn(node, pods)].reduce(
    (sum, p) => {
      const r = podRequests(p, true);
      return { cpu: sum.cpu + r.cpu, memory: sum.memory + r.memory };
    },
    { cpu: 0, memory: 0 },
  );
  // MostAllocated (a bin-packing profile) scores the used share instead of the free one.
  const one = (a: number, r: number) => (a <= 0 || r > a ? 0 : ((most ? r : a - r) * MAX) / a);
  return (one(alloc.cpu, requested.cpu) + one(alloc.memory, requested.memory)) / 2;
}

/** The pods the system default constraints count: same namespace, matched by the owner's selector. */
function siblingsOf(
  pod: KubeObj,
  pods: KubeObj[],
  owners: (uid: string) => KubeObj | undefined,
): KubeObj[] | undefined {
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  const selector: Record<string, string> | undefined = owners(owner.uid)?.spec?.selector?.matchLabels;
  return pods.filter(
    (p) =>
      isPodActive(p) &&
      !p.metadata.deletionTimestamp &&
      p.spec?.nodeName &&
      p.metadata.namespace === pod.metadata.namespace &&
      (selector
        ? Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v)
        : controllerOf(p)?.uid === owner.uid),
  );
}

function spreadScores(feasible: KubeObj[], allNodes: KubeObj[], siblings: KubeObj[]): number[] {
  const raw = feasible.map(() => 0);
  const scored = feasible.map(() => false);
  for (const c of SYSTEM_DEFAULT_CONSTRAINTS) {
    const domainOf = (n: KubeObj) => n.metadata.labels?.[c.topologyKey];
    const domains = new Set(feasible.map(domainOf).filter((d): d is string => d !== undefined));
    if (domains.size === 0) continue;
    const weight = Math.log(domains.size + 2);
    const count = new Map<string, number>();
    for (const p of siblings) {
      const node = allNodes.find((n) => n.metadata.name === p.spec?.nodeName);
      const d = node && domainOf(node);
      if (d !== undefined && domains.has(d)) count.set(d, (count.get(d) ?? 0) + 1);
    }
    feasible.forEach((n, i) => {
      const d = domainOf(n);
      if (d === undefined) return;
      scored[i] = true;
      raw[i]! += (count.get(d) ?? 0) * weight + (c.maxSkew - 1);
    });
  }
  const present = raw.filter((_, i) => scored[i]);
  if (present.length === 0) return raw.map(() => 0);
  const max = Math.max(...present);
  const min = Math.min(...present);
  return raw.map((s, i) => (!scored[i] ? 0 : max === 0 ? MAX : (MAX * (max + min - s)) / max));
}

function taintScores(pod: KubeObj, feasible: KubeObj[]): number[] {
  const counts = feasible.map(
    (n) => (n.spec?.taints ?? []).filter((t: Json) => t.effect === 'PreferNoSchedule' && !tolerates(pod, t)).length,
  );
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 ? MAX : MAX - (c * MAX) / max));
}

function affinityScores(pod: KubeObj, feasible: KubeObj[]): number[] {
  const terms: Json[] = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const sums = feasible.map((n) =>
    terms
      .filter((t) =>
        (t.preference?.matchExpressions ?? []).every((r: Json) => {
          const v = n.metadata.labels?.[r.key];
          if (r.operator === 'In') return v !== undefined && (r.values ?? []).includes(v);
          if (r.operator === 'NotIn') return v === undefined || !(r.values ?? []).includes(v);
          if (r.operator === 'Exists') return v !== undefined;
          if (r.operator === 'DoesNotExist') return v === undefined;
          return false;
        }),
      )
      .reduce((s, t) => s + Number(t.weight ?? 0), 0),
  );
  const max = Math.max(0, ...sums);
  return sums.map((s) => (max === 0 ? 0 : (s * MAX) / max));
}

/** The feasible node the default profile scores highest. */
export function bestNode(
  pod: KubeObj,
  feasible: KubeObj[],
  allNodes: KubeObj[],
  pods: KubeObj[],
  owners: (uid: string) => KubeObj | undefined,
  /** Fault scheduler-binpack: a profile with PodTopologySpread disabled and NodeResourcesFit MostAllocated. */
  binpack = false,
): KubeObj {
  const siblings = binpack ? undefined : siblingsOf(pod, pods, owners);
  const spread = siblings ? spreadScores(feasible, allNodes, siblings) : feasible.map(() => 0);
  const taints = taintScores(pod, feasible);
  const affinity = affinityScores(pod, feasible);
  const totals = feasible.map(
    (n, i) =>
      WEIGHTS.spread * spread[i]! +
      WEIGHTS.fit * leastAllocated(pod, n, pods, binpack) +
      WEIGHTS.taints * taints[i]! +
      WEIGHTS.affinity * affinity[i]!,
  );
  let best = 0;
  for (let i = 1; i < feasible.length; i++) {
    const better = totals[i]! > totals[best]! + 1e-9;
    const tie = Math.abs(totals[i]! - totals[best]!) <= 1e-9;
    if (better || (tie && feasible[i]!.metadata.name.localeCompare(feasible[best]!.metadata.name) < 0)) best = i;
  }
  return feasible[best]!;
}
