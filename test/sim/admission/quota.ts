/**
 * ResourceQuota and LimitRanger admission for pod creates, with the upstream texts:
 * - plugin/pkg/admission/resourcequota/controller.go checkRequest: a quota constraining a resource
 *   the pod does not declare → `failed quota: <quota>: must specify <resources>`; usage over the
 *   hard limit → `exceeded quota: <quota>, requested: <r>=<v>, used: <r>=<v>, limited: <r>=<v>`
 *   (prettyPrint: `name=value`, sorted, comma-joined).
 * - plugin/pkg/admission/limitranger/admission.go: `maximum <resource> usage per Container is
 *   <max>, but limit is <limit>` (several errors aggregated as `[e1, e2]`).
 * - pkg/quota/v1/evaluator/core/services.go ServiceUsage: a Service counts `services` 1, and a
 *   NodePort (or LoadBalancer) Service `services.nodeports` one per port (a LoadBalancer also
 *   `services.loadbalancers` 1); the same `exceeded quota` text.
 * Quantities are compared in base units (cpu cores, memory bytes); only the resources the
 * simulation's policies use are understood: pods, requests/limits of cpu and memory, services.
 */
import type { KubeObj } from '../contracts.js';

// biome-ignore lint/suspicious/noExplicitAny: specs are open JSON, as on the wire
type Json = any;

const suffixes: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

export function quantity(text: string | number | undefined): number {
  if (text === undefined) return 0;
  if (typeof text === 'number') return text;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * (suffixes[match[2] ?? ''] ?? 1);
}

const containersOf = (pod: KubeObj): Json[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];

/** What a pod counts against a quota (pods, requests.*, limits.*), summed over its containers. */
function usageOf(pod: KubeObj): Record<string, number> {
  const usage: Record<string, number> = { pods: 1 };
  for (const c of pod.spec?.containers ?? []) {
    for (const kind of ['requests', 'limits'] as const) {
      for (const [r, v] of Object.entries<string>(c.resources?.[kind] ?? {})) {
        const key = `${kind}.${r}`;
        usage[key] = (usage[key] ?? 0) + quantity(v);
      }
    }
  }
  // A bare `cpu`/`memory` quota means requests.
  for (const r of ['cpu', 'memory']) if (usage[`requests.${r}`] !== undefined) usage[r] = usage[`requests.${r}`]!;
  return usage;
}

const isActive = (p: KubeObj) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase);

function show(value: number, like: string): string {
  if (/Mi$/.test(like)) return `${value / 2 ** 20}Mi`;
  if (/Gi$/.test(like)) return `${value / 2 ** 30}Gi`;
  if (/m$/.test(like)) return `${Math.round(value * 1000)}m`;
  return String(value);
}

/** What a Service counts against a quota (ServiceUsage). */
function serviceUsageOf(svc: KubeObj): Record<string, number> {
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = (svc.spec?.ports ?? []).length;
  const nodePorts = type === 'NodePort' || type === 'LoadBalancer';
  return {
    services: 1,
    'services.nodeports': nodePorts ? ports : 0,
    'services.loadbalancers': type === 'LoadBalancer' ? 1 : 0,
  };
}

/** A quota's `exceeded quota` text for a usage over one of its hard limits, if any. */
function exceededText(quota: KubeObj, requested: Record<string, number>, used: Record<string, number>) {
  const hard: Record<string, string> = quota.spec?.hard ?? {};
  const exceeded = Object.keys(hard)
    .filter((r) => requested[r] !== undefined && (used[r] ?? 0) + requested[r]! > quantity(hard[r]))
    .sort();
  if (exceeded.length === 0) return undefined;
  const list = (values: Record<string, number>) =>
    exceeded.map((r) => `${r}=${show(values[r] ?? 0, hard[r]!)}`).join(',');
  return `exceeded quota: ${quota.metadata.name}, requested: ${list(requested)}, used: ${list(used)}, limited: ${exceeded.map((r) => `${r}=${hard[r]}`).join(',')}`;
}

const summed = (usages: Array<Record<string, number>>) => {
  const total: Record<string, number> = {};
  for (const u of usages) for (const [r, v] of Object.entries(u)) total[r] = (total[r] ?? 0) + v;
  return total;
};

/** The quota a new Service would exceed (the Services already in the namespace counted), if any. */
export function serviceQuotaViolation(quotas: KubeObj[], services: KubeObj[], svc: KubeObj): string | undefined {
  const requested = serviceUsageOf(svc);
  const used = summed(services.map(serviceUsageOf));
  for (const quota of quotas) {
    const text = exceededText(quota, requested, used);
    if (text) return text;
  }
  return undefined;
}

export function quotaViolation(quotas: KubeObj[], pods: KubeObj[], pod: KubeObj): string | undefined {
  const requested = usageOf(pod);
  for (const quota of quotas) {
    const hard: Record<string, string> = quota.spec?.hard ?? {};
    // pods/v1 evaluator Constraints: a quota on requests/limits needs every container to declare them.
    const missing = Object.keys(hard)
      .filter((r) => /^(requests|limits)\.(cpu|memory)$/.test(r) || r === 'cpu' || r === 'memory')
      .filter((r) => {
        const [kind, res] = r.includes('.') ? r.split('.') : ['requests', r];
        return containersOf(pod).some((c) => c.resources?.[kind!]?.[res!] === undefined);
      })
      .sort();
    if (missing.length > 0) {
      const names = containersOf(pod)
        .map((c) => c.name)
        .join(',');
      return `failed quota: ${quota.metadata.name}: must specify ${missing.map((r) => `${r} for: ${names}`).join('; ')}`;
    }
    const text = exceededText(quota, requested, summed(pods.filter(isActive).map(usageOf)));
    if (text) return text;
  }
  return undefined;
}

export function limitRangeViolations(ranges: KubeObj[], pod: KubeObj): string | undefined {
  const errors: string[] = [];
  for (const range of ranges) {
    for (const item of range.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      for (const [resource, max] of Object.entries<string>(item.max ?? {})) {
        for (const c of containersOf(pod)) {
          const limit = c.resources?.limits?.[resource];
          if (limit === undefined)
            errors.push(`maximum ${resource} usage per Container is ${max}.  No limit is specified`);
          else if (quantity(limit) > quantity(max)) {
            errors.push(`maximum ${resource} usage per Container is ${max}, but limit is ${limit}`);
          }
        }
      }
    }
  }
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
