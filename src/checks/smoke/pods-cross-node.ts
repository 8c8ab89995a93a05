import { clusterShape } from '../shape/detect.js';
import { cniRoutingHint, networkPolicyNote } from '../shape/hints.js';
import { SHAPE_RBAC } from '../shape/rbac.js';
import type { CheckDefinition } from '../types.js';
import { recordAnswer } from './shared/client.js';
import { batchDeadlineMs, SEQUENTIAL_CALLS_PER_EXEC, wgetBatchFromClient } from './shared/client-batch.js';
import { httpUrl, ipFamily } from './shared/ip.js';
import { callOpts, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import type { SmokeTimings } from './shared/timings.js';
import { workloadCheck } from './shared/workload-check.js';

/** `pods.cross-node`: the client pod reaches every web pod by its pod IP, across nodes. */
export function podsCrossNode(t: SmokeTimings): CheckDefinition {
  return workloadCheck({
    id: 'pods.cross-node',
    title: 'The client pod reaches every web pod by its pod IP, across nodes',
    component: 'cni-routing',
    prerequisites: ['pods.exec'],
    rbac: [...RBAC.readPods, ...RBAC.exec, ...SHAPE_RBAC],
    podTraffic: true,
    deadlineMs: Math.max(60_000, batchDeadlineMs(t.wgetTimeoutSec)),
    async run(ctx, w) {
      const [client, shape] = await Promise.all([
        ctx.cluster.get('pods', w.clientPodName, w.namespace, callOpts(ctx)),
        clusterShape(ctx.cluster),
      ]);
      const clientNode: string | undefined = client.spec?.nodeName;
      const pods = await readyWebPods(ctx);
      // Every address of every pod: on a dual-stack cluster each family has its own routes.
      const targets = pods.flatMap((p) => p.ips.map((ip) => ({ p, ip })));
      // One exec runs the calls one after the other (each its own wget, so its own connection).
      const outs = await wgetBatchFromClient(
        ctx,
        targets.map(({ ip }) => httpUrl(ip, 8080, '/hostname')),
        t.wgetTimeoutSec,
        SEQUENTIAL_CALLS_PER_EXEC,
      );
      const calls = targets.map(({ p, ip }, i) => {
        const out = outs[i]!;
        const answered = out.ok ? out.body.trim() : undefined;
        if (answered) recordAnswer(ctx, answered);
        const crossNode = p.node !== clientNode;
        return {
          pod: p.name,
          node: p.node,
          ip,
          family: ipFamily(ip),
          crossNode,
          answered,
          error: out.ok ? undefined : out.message,
          ok: answered === p.name,
        };
      });
      const failing = calls.filter((c) => !c.ok);
      const crossNodeCalls = calls.filter((c) => c.crossNode).length;
      const evidence = { clientNode, calls, cni: shape.cni };
      if (failing.length === 0) {
        const note =
          crossNodeCalls === 0
            ? `; every web pod shares ${clientNode} with the client, so cross-node routing could not be exercised`
            : `; ${crossNodeCalls} call(s) crossed nodes`;
        return { status: 'passed', summary: `all ${calls.length} pods answered with their own name${note}`, evidence };
      }
      const failedCross = failing.filter((c) => c.crossNode);
      return {
        status: 'failed',
        summary: failing
          .map((c) => `${c.pod} (${c.ip} on ${c.node}) ${c.answered ? `answered ${c.answered}` : c.error}`)
          .join('; '),
        evidence,
        hint:
          failedCross.length === failing.length
            ? cniRoutingHint(shape, clientNode) +
              (failing.some((c) => /timed out/.test(c.error ?? '')) ? networkPolicyNote(shape, w.namespace) : '')
            : `Pod IPs do not answer even on the same node: check the CNI plugin${shape.cni ? ` (${shape.cni.name}, ${shape.cni.from})` : ''} and the pods themselves (article 14).${networkPolicyNote(shape, w.namespace)}`,
      };
    },
  });
}
