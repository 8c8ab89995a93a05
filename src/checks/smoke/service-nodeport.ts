import type { Node } from '../../kube/objects.js';
import type { NodePortRefusal } from '../../workload/types.js';
import { policyOutcome } from '../policy.js';
import { clusterShape } from '../shape/detect.js';
import { networkPolicyNote, serviceProxyHint } from '../shape/hints.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';
import type { WgetOutcome } from './parsers/wget.js';
import { recordAnswer, wgetFromClient } from './shared/client.js';
import { batchDeadlineMs, SEQUENTIAL_CALLS_PER_EXEC, wgetBatchFromClient } from './shared/client-batch.js';
import { crossNodeBroken, PARTIAL_BECAUSE_CROSS_NODE } from './shared/cross-node.js';
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
export function nodePortAddresses(node: Node, families: readonly string[]): string[] {
  const internal = (node.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' && typeof a.address === 'string')
    .map((a) => a.address as string);
  return internal.filter((ip) => families.includes(ipFamily(ip) ?? ''));
}

/**
 * With routing between nodes broken, the client's own node forwards only the calls kube-proxy
 * sends to local endpoints, at random: up to ROUNDS rounds of BATCH parallel calls (each a new
 * connection) before a time-out there counts as unobservable rather than as an answer.
 */
const BATCH = 6;
const ROUNDS = 4;

interface NodeCall {
  node: string;
  ip?: string;
  ok: boolean;
  answeredBy?: string;
  error?: string;
  /** Not observable: timed out towards another node while routing between nodes is broken. */
  unobservable?: boolean;
}

/**
 * The web Service could not be a NodePort (src/workload/create.ts made it a ClusterIP Service):
 * an admission policy's denial is `error` (cause policy), the API server's own refusal `failed`,
 * as workload.rollout judged a refused NodePort Service when it was a Service of its own.
 */
function nodePortRefusedOutcome(service: string, refused: NodePortRefusal): CheckOutcome {
  const evidence = { service, type: 'ClusterIP', nodePortRefused: refused.message };
  if (refused.denial) return policyOutcome(refused.denial, `the NodePort Service ${service}`, evidence);
  return {
    status: 'failed',
    summary: `the API server refused Service ${service} as type NodePort: ${refused.message}`,
    evidence,
    hint: 'No NodePort could be allocated: check --service-node-port-range and the NodePorts already in use (the ClusterIP checks ran on a ClusterIP Service instead).',
  };
}

/** `service.nodeport`: the NodePort Service answers from the client pod on every node's InternalIP. */
export function serviceNodePort(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'service.nodeport',
    title: "The NodePort answers on every node's InternalIP",
    component: 'kube-proxy-nodeport',
    // Not behind pods.cross-node: the client's own node is observed even when routing between
    // nodes fails, so a blocked NodePort there is still named.
    prerequisites: ['pods.exec', 'endpoints.slices'],
    after: ['pods.cross-node'],
    rbac: [...RBAC.readServices, ...RBAC.listNodes, ...RBAC.readPods, ...RBAC.exec, ...SHAPE_RBAC],
    podTraffic: true,
    deadlineMs: batchDeadlineMs(t.wgetTimeoutSec) + 30_000 + ROUNDS * (t.wgetTimeoutSec + 5) * 1000,
    async run(ctx, w) {
      if (w.nodePortRefused) return nodePortRefusedOutcome(w.serviceName, w.nodePortRefused);
      const [svc, { items: nodes }, shape, client] = await Promise.all([
        ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx)),
        ctx.cluster.list('nodes', {}, callOpts(ctx)),
        clusterShape(ctx.cluster),
        ctx.cluster.get('pods', w.clientPodName, w.namespace, callOpts(ctx)),
      ]);
      const clientNode: string | undefined = client.spec?.nodeName;
      const nodePort: number | undefined = svc.spec?.ports?.[0]?.nodePort;
      if (!nodePort) {
        return {
          status: 'failed',
          summary: `Service ${w.serviceName} got no nodePort`,
          evidence: { service: svc.spec },
          hint: 'The API server did not allocate a NodePort: check --service-node-port-range.',
        };
      }
      const partial = crossNodeBroken(ctx);
      const families = serviceFamilies(svc);
      const targets = nodes.flatMap((n): Array<{ node: string; ip: string | undefined }> => {
        const node = n.metadata?.name ?? '';
        const ips = nodePortAddresses(n, families);
        return ips.length > 0 ? ips.map((ip) => ({ node, ip })) : [{ node, ip: undefined }];
      });
      // The first call to every address in one exec, one after the other (each its own wget).
      const urlOf = (ip: string) => httpUrl(ip, nodePort, '/hostname');
      const reachable = targets.flatMap(({ ip }) => (ip ? [ip] : []));
      const first = await wgetBatchFromClient(ctx, reachable.map(urlOf), t.wgetTimeoutSec, SEQUENTIAL_CALLS_PER_EXEC);
      const firstOf = new Map(reachable.map((ip, i) => [ip, first[i]!]));
      const calls: NodeCall[] = await Promise.all(
        targets.map(async ({ node, ip }): Promise<NodeCall> => {
          if (!ip) return { node, ok: false, error: `node publishes no ${families.join('/')} InternalIP` };
          const own = node === clientNode;
          const url = urlOf(ip);
          let out: WgetOutcome = firstOf.get(ip)!;
          // Only when routing between nodes is broken: rounds of calls at the same time (one exec
          // each), as before, so a round takes one time-out, not BATCH of them.
          for (let round = 0; partial && own && !out.ok && out.failure === 'timeout' && round < ROUNDS; round++) {
            const batch = await Promise.all(
              Array.from({ length: BATCH }, () => wgetFromClient(ctx, url, t.wgetTimeoutSec)),
            );
            out = batch.find((o) => o.ok) ?? batch.find((o) => !o.ok && o.failure !== 'timeout') ?? out;
          }
          if (out.ok) {
            recordAnswer(ctx, out.body);
            return { node, ip, ok: true, answeredBy: out.body.trim() };
          }
          // A time-out while routing between nodes is broken is ambiguous (the call may have been
          // sent to a pod elsewhere); a refusal is an answer on any node.
          const unobservable = partial && out.failure === 'timeout';
          return { node, ip, ok: false, error: out.message, ...(unobservable ? { unobservable } : {}) };
        }),
      );
      const failing = calls.filter((c) => !c.ok && !c.unobservable);
      const unobserved = calls.filter((c) => c.unobservable);
      const answered = calls.filter((c) => c.ok);
      const evidence = { nodePort, clientNode, calls, serviceProxy: shape.serviceProxy };
      const partialWarning = unobserved.length
        ? [
            `NodePort ${nodePort} not observable on ${[...new Set(unobserved.map((c) => c.node))].join(', ')}: the client cannot reach other nodes while routing between nodes is broken (pods.cross-node). ${PARTIAL_BECAUSE_CROSS_NODE}`,
          ]
        : [];
      if (failing.length === 0 && answered.length > 0) {
        return {
          status: 'passed',
          summary: `NodePort ${nodePort} answered on ${unobserved.length ? `${[...new Set(answered.map((c) => c.node))].join(', ')} (the others not observable)` : `all ${nodes.length} nodes`}${calls.length > nodes.length ? ` (${calls.length} addresses, ${families.join(' and ')})` : ''}`,
          evidence,
          ...(partialWarning.length ? { warnings: partialWarning } : {}),
        };
      }
      if (failing.length === 0) {
        return {
          status: 'passed',
          summary: `partial: NodePort ${nodePort} was allocated and no node refused it; every call timed out while routing between nodes is broken (from ${clientNode ?? 'the client'})`,
          evidence,
          warnings: partialWarning,
        };
      }
      const failingNodes = [...new Set(failing.map((c) => c.node))];
      return {
        status: 'failed',
        summary: `NodePort ${nodePort} fails on ${failing.map((c) => `${c.node}${c.ip ? ` ${c.ip}` : ''} (${c.error})`).join(', ')}`,
        evidence,
        ...(partialWarning.length ? { warnings: partialWarning } : {}),
        hint:
          serviceProxyHint(shape, 'nodeport', { nodes: failingNodes, nodePort }) +
          (failing.some((c) => /timed out/.test(c.error ?? '')) ? networkPolicyNote(shape, w.namespace) : ''),
      };
    },
  });
}
