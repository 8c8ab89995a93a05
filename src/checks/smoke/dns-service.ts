import type { CheckContext, CheckDefinition } from '../types.js';
import { addressesOf, parseNslookup } from './parsers/nslookup.js';
import { execInClient, recordAnswer, wgetFromClient } from './shared/client.js';
import { ipFamily, sameIp } from './shared/ip.js';
import { callOpts } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { serviceClusterIps } from './shared/service-ips.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/**
 * busybox nslookup asks A and AAAA and prints every answer (recorded: test/fixtures/
 * busybox-1.35-ipv6/nslookup-aaaa.*, nslookup-dual.*). The name is right when it resolves to one
 * of the Service's ClusterIPs (an IPv6-only cluster answers AAAA only); a dual-stack Service
 * whose other family got no answer is noted in `missingFamilies`.
 */
async function lookup(ctx: CheckContext, name: string, expected: readonly string[] | undefined) {
  const result = await execInClient(ctx, ['nslookup', name]);
  const parsed = parseNslookup(result.stdout, result.stderr);
  const addresses = addressesOf(parsed);
  const resolved = addresses.length > 0;
  const matches =
    expected === undefined || expected.length === 0
      ? resolved
      : addresses.some((a) => expected.some((e) => sameIp(a, e)));
  const missingFamilies = (expected ?? [])
    .filter((e) => !addresses.some((a) => sameIp(a, e)))
    .map((e) => ipFamily(e))
    .filter((f) => f !== undefined);
  return {
    name,
    expected: expected === undefined ? undefined : expected.join(','),
    addresses,
    server: parsed.server,
    exitCode: result.exitCode,
    problem: parsed.problem,
    ...(matches && missingFamilies.length > 0 ? { missingFamilies } : {}),
    ok: matches,
  };
}

/** ClusterIPs of default/kubernetes when we may read it; otherwise only "it resolves" is judged. */
async function kubernetesClusterIps(ctx: CheckContext): Promise<string[] | undefined> {
  try {
    return serviceClusterIps(await ctx.cluster.get('services', 'kubernetes', 'default', callOpts(ctx)));
  } catch {
    return undefined;
  }
}

/** `dns.service`: Service names resolve to their ClusterIPs and http://web answers by name. */
export function dnsService(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'dns.service',
    title: 'Service names resolve to their ClusterIPs and http://web answers by name',
    component: 'coredns',
    prerequisites: ['pods.cross-node'],
    rbac: [...RBAC.readServices, ...RBAC.exec],
    deadlineMs: 60_000,
    async run(ctx, w) {
      const domain = ctx.options.clusterDomain;
      const web = await ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx));
      // busybox nslookup applies no search domain to dotted names: ask the FQDNs.
      const lookups = await Promise.all([
        lookup(ctx, `${w.serviceName}.${w.namespace}.svc.${domain}`, serviceClusterIps(web)),
        lookup(ctx, `kubernetes.default.svc.${domain}`, await kubernetesClusterIps(ctx)),
      ]);
      const byName = await wgetFromClient(ctx, `http://${w.serviceName}/hostname`, t.wgetTimeoutSec);
      if (byName.ok) recordAnswer(ctx, byName.body);
      const httpByName = byName.ok
        ? { answeredBy: byName.body.trim() }
        : { failure: byName.failure, message: byName.message };
      const evidence = { lookups, httpByName };
      const bad = lookups.filter((l) => !l.ok);
      const hint =
        'CoreDNS is not answering correctly: check the CoreDNS pods in kube-system, the kube-dns Service and its endpoints, the Corefile (cluster domain, kubernetes plugin) and the kubelet --cluster-dns setting (article 15).';
      if (bad.length > 0) {
        return {
          status: 'failed',
          summary: bad
            .map((l) =>
              l.addresses.length
                ? `${l.name} resolved to ${l.addresses.join(',')}, expected ${l.expected}`
                : `${l.name}: ${l.problem}`,
            )
            .join('; '),
          evidence,
          hint,
        };
      }
      if (!byName.ok && byName.failure === 'bad-address') {
        return {
          status: 'failed',
          summary: `http://${w.serviceName}/hostname: ${byName.message} (the short name did not resolve through the pod's search path)`,
          evidence,
          hint,
        };
      }
      const names = lookups.map((l) => `${l.name} → ${l.addresses.join(',')}`).join('; ');
      if (!byName.ok) {
        return {
          status: 'passed',
          summary: `${names}; http://${w.serviceName} resolved but did not answer (${byName.message}): not a DNS fault, see service.loadbalancing`,
          evidence: {
            ...evidence,
            note: 'name resolution works; the HTTP failure is about the Service path (kube-proxy/endpoints), see service.loadbalancing',
          },
        };
      }
      return {
        status: 'passed',
        summary: `${names}; http://${w.serviceName}/hostname answered ${byName.body.trim()}`,
        evidence,
      };
    },
  });
}
