import { clusterShape } from '../shape/detect.js';
import { networkPolicyNote, serviceProxyHint } from '../shape/hints.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import type { CheckDefinition } from '../types.js';
import { recordAnswer } from './shared/client.js';
import { wgetBatchFromClient } from './shared/client-batch.js';
import { crossNodeBroken, PARTIAL_BECAUSE_CROSS_NODE } from './shared/cross-node.js';
import { httpUrl } from './shared/ip.js';
import { callOpts, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `service.loadbalancing`: repeated calls to the ClusterIP reach more than one web pod. */
export function serviceLoadBalancing(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'service.loadbalancing',
    title: 'Repeated calls to the ClusterIP land on more than one pod',
    component: 'kube-proxy',
    // Not behind pods.cross-node: the ClusterIP path is observed through the endpoints on the
    // client's own node even when routing between nodes fails.
    prerequisites: ['pods.exec', 'endpoints.slices'],
    after: ['pods.cross-node'],
    rbac: [...RBAC.readServices, ...RBAC.readPods, ...RBAC.exec, ...SHAPE_RBAC],
    // Up to twice the calls when cross-node routing is broken (see below).
    podTraffic: true,
    deadlineMs: 30_000 + 2 * t.loadBalancingCalls * (t.wgetTimeoutSec + 5) * 1000,
    async run(ctx, w) {
      const [svc, shape, pods, client] = await Promise.all([
        ctx.cluster.get('services', w.serviceName, w.namespace, callOpts(ctx)),
        clusterShape(ctx.cluster),
        readyWebPods(ctx),
        ctx.cluster.get('pods', w.clientPodName, w.namespace, callOpts(ctx)),
      ]);
      const clusterIp = svc.spec?.clusterIP ?? '';
      const clientNode: string | undefined = client.spec?.nodeName;
      const local = pods.filter((p) => p.node === clientNode).map((p) => p.name);
      const partial = crossNodeBroken(ctx);
      // By IP, so DNS is not involved; one wget process per call = one new connection each, as
      // kube-proxy balances per connection; all calls of a round in one exec (a bounded loop).
      const answers: string[] = [];
      const errors: Array<{ failure: string; message: string }> = [];
      const url = httpUrl(clusterIp, 80, '/hostname');
      const round = async () => {
        const outs = await wgetBatchFromClient(ctx, Array(t.loadBalancingCalls).fill(url), t.wgetTimeoutSec);
        for (const out of outs) {
          if (out.ok) {
            answers.push(out.body.trim());
            recordAnswer(ctx, out.body);
          } else errors.push({ failure: out.failure, message: out.message });
        }
      };
      await round();
      // With cross-node routing broken only calls sent to local endpoints can answer: give them a
      // second round before concluding that even those are not served.
      if (partial && answers.length === 0 && local.length > 0) await round();
      const calls = answers.length + errors.length;
      const distinct = [...new Set(answers)];
      const counts = Object.fromEntries(distinct.map((n) => [n, answers.filter((a) => a === n).length]));
      const timedOut = errors.filter((e) => e.failure === 'timeout').length;
      const messages = [...new Set(errors.map((e) => e.message))];
      const evidence = {
        clusterIp,
        calls,
        answeredBy: counts,
        errors: messages,
        clientNode,
        endpointsOnClientNode: local,
        serviceProxy: shape.serviceProxy,
      };
      if (distinct.length >= 2) {
        return {
          status: 'passed',
          summary: `${answers.length}/${calls} calls to ${clusterIp} answered by ${distinct.length} pods`,
          evidence,
          ...(partial ? partialBalanceWarning(errors.length, pods.length - local.length, clientNode) : {}),
        };
      }
      if (partial && distinct.length === 1 && timedOut === errors.length && errors.length > 0) {
        return {
          status: 'passed',
          summary: `the ClusterIP ${clusterIp} is served: ${distinct[0]} on ${clientNode} answered ${answers.length} call(s); the other ${errors.length} were sent to pods on other nodes and timed out, so kube-proxy does spread calls (seen indirectly)`,
          evidence,
          warnings: [
            `balancing was observed indirectly: only ${distinct[0]} (on the client's node) can answer while routing between nodes is broken (pods.cross-node). ${PARTIAL_BECAUSE_CROSS_NODE}`,
          ],
        };
      }
      if (partial && answers.length === 0 && timedOut === errors.length && local.length === 0) {
        return {
          status: 'passed',
          summary: `partial: no web pod runs on ${clientNode}, and the calls to ClusterIP ${clusterIp} were forwarded to pods elsewhere (timed out, not refused) while routing between nodes is broken`,
          evidence,
          warnings: [
            `the ClusterIP path was not observed answering: every endpoint is on another node than the client (${clientNode}) and routing between nodes is broken (pods.cross-node). ${PARTIAL_BECAUSE_CROSS_NODE}`,
          ],
        };
      }
      const summary =
        answers.length === 0
          ? `no call to ClusterIP ${clusterIp} answered (${messages.join('; ')})${partial && local.length ? `, not even through ${local.join(', ')} on the client's node` : ''}`
          : `every answered call to ${clusterIp} landed on ${distinct[0]}${errors.length ? `; ${errors.length} failed` : ''}`;
      return {
        status: 'failed',
        summary,
        evidence,
        hint:
          serviceProxyHint(shape, answers.length === 0 ? 'no-answer' : 'no-balance') +
          (timedOut > 0 ? networkPolicyNote(shape, w.namespace) : ''),
      };
    },
  });
}

/**
 * With routing between nodes broken, a pass saw balancing only among the client node's pods: say
 * so whether or not a call happened to be sent elsewhere (with 2 of 3 pods local, all 12 calls
 * stay local about once in 130 audits), so the warning does not depend on kube-proxy's draw.
 */
function partialBalanceWarning(timedOut: number, remoteEndpoints: number, clientNode: string | undefined) {
  if (timedOut > 0)
    return { warnings: [`${timedOut} calls went to pods on other nodes and timed out (pods.cross-node)`] };
  if (remoteEndpoints === 0) return {};
  return {
    warnings: [
      `every call landed on a pod on the client's node (${clientNode}); the ${remoteEndpoints} endpoint(s) on other nodes were not observed answering while routing between nodes is broken (pods.cross-node)`,
    ],
  };
}
