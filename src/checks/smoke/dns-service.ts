import type { ExecResult } from '../../kube/cluster-access.js';
import { clusterShape } from '../shape/detect.js';
import { dnsHint } from '../shape/hints.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.js';
import { addressesOf, parseNslookup } from './parsers/nslookup.js';
import { parseWget } from './parsers/wget.js';
import { recordAnswer, wgetCommand } from './shared/client.js';
import { execBatchInClient } from './shared/client-batch.js';
import { domainFromClient, expectedDomain, RESOLV_CONF_COMMAND, requestedDomain } from './shared/cluster-domain.js';
import { crossNodeBroken, PARTIAL_BECAUSE_CROSS_NODE } from './shared/cross-node.js';
import { ipFamily, sameIp } from './shared/ip.js';
import { callOpts, isRunningAndReady } from './shared/pods.js';
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
function judgeLookup(name: string, result: ExecResult, expected: readonly string[] | undefined) {
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
    noServer: parsed.noServer,
    ...(matches && missingFamilies.length > 0 ? { missingFamilies } : {}),
    ok: matches,
  };
}

/** One command of the batch: as long as one exec of it was given before (a wget takes less). */
const DNS_COMMAND_MS = 20_000;

/** ClusterIPs of default/kubernetes when we may read it; otherwise only "it resolves" is judged. */
async function kubernetesClusterIps(ctx: CheckContext): Promise<string[] | undefined> {
  try {
    return serviceClusterIps(await ctx.cluster.get('services', 'kubernetes', 'default', callOpts(ctx)));
  } catch {
    return undefined;
  }
}

interface DnsServerPod {
  pod: string;
  node?: string;
  ready: boolean;
}

/**
 * The cluster DNS pods (label k8s-app=kube-dns, every flavour) when kube-system's pods are visible
 * to us. Fresh, not the run's snapshot of kube-system: their readiness now decides the verdict.
 */
async function dnsServerPods(ctx: CheckContext): Promise<DnsServerPod[] | undefined> {
  try {
    const { items } = await ctx.cluster.list(
      'pods',
      { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' },
      { ...callOpts(ctx), fresh: true },
    );
    return items.map((p) => ({
      pod: p.metadata?.name ?? '',
      ...(p.spec?.nodeName ? { node: p.spec.nodeName as string } : {}),
      ready: isRunningAndReady(p),
    }));
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
    // Not behind pods.cross-node: DNS is observed even when routing between nodes fails (the
    // client asks whichever DNS server kube-proxy picks), and only what routing explains is excused.
    prerequisites: ['pods.exec'],
    after: ['pods.cross-node'],
    rbac: [...RBAC.readServices, ...RBAC.exec, ...SHAPE_RBAC],
    podTraffic: true,
    deadlineMs: 90_000,
    async run(ctx, w) {
      // One exec asks everything, one command after the other: resolv.conf (unless the request
      // names the domain), both lookups for the domain expected, then http://web by its short name.
      // busybox nslookup applies no search domain to dotted names: ask the FQDNs.
      const requested = requestedDomain(ctx);
      const fqdns = (domain: string) => [
        `${w.serviceName}.${w.namespace}.svc.${domain}`,
        `kubernetes.default.svc.${domain}`,
      ];
      const nslookups = (domain: string) => fqdns(domain).map((name) => ['nslookup', name]);
      const guess = expectedDomain(ctx);
      const batch = (commands: string[][]) => execBatchInClient(ctx, commands, { perCommandMs: DNS_COMMAND_MS });
      const [shape, web, kubernetesIps, asked] = await Promise.all([
        clusterShape(ctx.cluster),
        ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx)),
        kubernetesClusterIps(ctx),
        batch([
          ...(requested ? [] : [[...RESOLV_CONF_COMMAND]]),
          ...nslookups(guess),
          wgetCommand(`http://${w.serviceName}/hostname`, t.wgetTimeoutSec),
        ]),
      ]);
      const resolvConf = requested ? undefined : asked.shift();
      const [first, second, wget] = asked as [ExecResult, ExecResult, ExecResult];
      const found = requested ?? domainFromClient(resolvConf!, w);
      const domain = found.domain;
      // resolv.conf names another domain than expected: ask again for that one's names.
      const answers = domain === guess ? [first, second] : await batch(nslookups(domain));
      const [webName, kubernetesName] = fqdns(domain) as [string, string];
      const lookups = [
        judgeLookup(webName, answers[0]!, serviceClusterIps(web)),
        judgeLookup(kubernetesName, answers[1]!, kubernetesIps),
      ];
      const byName = parseWget(wget);
      if (byName.ok) recordAnswer(ctx, byName.body);
      const httpByName = byName.ok
        ? { answeredBy: byName.body.trim() }
        : { failure: byName.failure, message: byName.message };
      const dns = { server: shape.dns.server, nodeLocal: shape.dns.nodeLocal, from: shape.dns.from };
      const evidence: Record<string, unknown> = { clusterDomain: { ...found }, dns, lookups, httpByName };
      const warnings = [
        ...(found.warning ? [found.warning] : []),
        ...lookups
          .filter((l) => l.missingFamilies)
          .map((l) => `${l.name} got no ${l.missingFamilies?.join('/')} answer although the Service has that family`),
      ];
      const withWarnings = (o: CheckOutcome): CheckOutcome =>
        warnings.length ? { ...o, warnings: [...(o.warnings ?? []), ...warnings] } : o;
      const hint = `${dnsHint(shape)} The cluster domain used (${domain}) came from ${found.source}.`;
      const bad = lookups.filter((l) => !l.ok);
      const client = await ctx.cluster.get('pods', w.clientPodName, w.namespace, callOpts(ctx)).catch(() => undefined);
      const clientNode: string | undefined = client?.spec?.nodeName;
      // Routing between nodes is broken (pods.cross-node failed): queries to a DNS server on another
      // node time out, which says nothing about DNS itself. What can still be seen is judged: the
      // DNS pods' readiness, and that the queries were forwarded (dropped, not refused).
      const timedOutOnly =
        bad.length > 0 && bad.every((l) => l.noServer && !/Connection refused/.test(l.problem ?? ''));
      if (timedOutOnly && crossNodeBroken(ctx)) {
        const servers = await dnsServerPods(ctx);
        const ready = (servers ?? []).filter((s) => s.ready);
        const readyHere = ready.filter((s) => s.node === clientNode);
        const partialEvidence = { ...evidence, dnsServerPods: servers, clientNode };
        if (servers !== undefined && ready.length === 0) {
          return withWarnings({
            status: 'failed',
            summary: `no DNS server answered, and none of the ${servers.length} cluster DNS pod(s) in kube-system is Ready`,
            evidence: partialEvidence,
            hint,
          });
        }
        if (readyHere.length === 0) {
          const where = servers
            ? `the Ready DNS pods run on ${[...new Set(ready.map((s) => s.node))].join(', ')}`
            : 'where the DNS pods run is not visible';
          return withWarnings({
            status: 'passed',
            summary: `partial: ${where}, which the client on ${clientNode ?? 'its node'} cannot reach while routing between nodes is broken; its queries were forwarded (timed out, not refused)`,
            evidence: partialEvidence,
            warnings: [
              `name resolution not observed: no DNS server on ${clientNode ?? "the client's node"} and routing between nodes is broken (pods.cross-node). ${PARTIAL_BECAUSE_CROSS_NODE}`,
            ],
          });
        }
      }
      if (bad.length > 0) {
        return withWarnings({
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
        });
      }
      if (!byName.ok && byName.failure === 'bad-address') {
        return withWarnings({
          status: 'failed',
          summary: `http://${w.serviceName}/hostname: ${byName.message} (the short name did not resolve through the pod's search path)`,
          evidence,
          hint,
        });
      }
      const names = lookups.map((l) => `${l.name} → ${l.addresses.join(',')}`).join('; ');
      if (!byName.ok) {
        return withWarnings({
          status: 'passed',
          summary: `${names}; http://${w.serviceName} resolved but did not answer (${byName.message}): not a DNS fault, see service.loadbalancing`,
          evidence: {
            ...evidence,
            note: 'name resolution works; the HTTP failure is about the Service path (kube-proxy/endpoints), see service.loadbalancing',
          },
        });
      }
      return withWarnings({
        status: 'passed',
        summary: `${names}; http://${w.serviceName}/hostname answered ${byName.body.trim()}`,
        evidence,
      });
    },
  });
}
