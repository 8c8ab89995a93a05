import { convergedWithin } from '../../kube/converge.js';
import type { EndpointSlice } from '../../kube/objects.js';
import { clusterShape } from '../shape/detect.js';
import { controlPlaneHint } from '../shape/hints.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import type { CheckDefinition } from '../types.js';
import { canonicalIp, ipFamily } from './shared/ip.js';
import { callOpts, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { serviceFamilies } from './shared/service-ips.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** Addresses of ready endpoints across a Service's EndpointSlices. */
export function readyAddresses(slices: readonly EndpointSlice[]): string[] {
  const out = new Set<string>();
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of (e.addresses ?? []) as string[]) out.add(canonicalIp(a));
    }
  }
  return [...out].sort();
}

/** `endpoints.slices`: the web Service's EndpointSlices hold exactly the ready pod IPs. */
export function endpointsSlices(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'endpoints.slices',
    title: "The Service's EndpointSlices hold exactly the ready pod IPs",
    component: 'endpoint-controller',
    prerequisites: ['workload.rollout'],
    rbac: [...RBAC.readPods, ...RBAC.readServices, ...RBAC.readEndpointSlices, ...SHAPE_RBAC],
    deadlineMs: t.endpointsMs + 30_000,
    async run(ctx, w) {
      // One EndpointSlice per address family of the Service (addressType IPv4/IPv6): on a
      // dual-stack Service both families of each pod's IPs are expected, on a single-stack one only its own.
      const [pods, svc] = await Promise.all([
        readyWebPods(ctx),
        ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx)),
      ]);
      const families = serviceFamilies(svc);
      const podIps = pods
        .flatMap((p) => p.ips.filter((ip) => families.includes(ipFamily(ip) ?? '')))
        .map(canonicalIp)
        .sort();
      const want = JSON.stringify(podIps);
      let seen: string[] = [];
      let slices: string[] = [];
      const matched = await convergedWithin(() =>
        ctx.cluster.waitFor(
          'endpointslices',
          { namespace: w.namespace, labelSelector: `kubernetes.io/service-name=${w.serviceName}` },
          (objs) => {
            seen = readyAddresses(objs);
            slices = objs.map((o) => o.metadata?.name ?? '');
            return JSON.stringify(seen) === want ? true : undefined;
          },
          { signal: ctx.signal, timeoutMs: t.endpointsMs },
        ),
      );
      const evidence = { slices, endpointAddresses: seen, readyPodIps: podIps };
      if (matched) {
        return { status: 'passed', summary: `EndpointSlice ${slices.join(',')} holds ${seen.join(', ')}`, evidence };
      }
      const missing = podIps.filter((ip) => !seen.includes(ip));
      const extra = seen.filter((ip) => !podIps.includes(ip));
      return {
        status: 'failed',
        summary:
          slices.length === 0
            ? `no EndpointSlice for Service ${w.serviceName} after ${t.endpointsMs / 1000}s`
            : `EndpointSlices disagree with the ready pods: missing ${missing.join(', ') || 'none'}, extra ${extra.join(', ') || 'none'}`,
        evidence,
        hint: `The endpoint(slice) controller in kube-controller-manager is not maintaining the Service: ${controlPlaneHint(await clusterShape(ctx.cluster), 'kube-controller-manager')} (article 8).`,
      };
    },
  });
}
