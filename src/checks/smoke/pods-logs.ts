import { agnhostRequests } from './parsers/agnhost-log.js';
import { kubeletPathFailure } from './shared/kubelet-path.js';
import { callOpts, readyWebPods } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

/**
 * Reads a web pod's log and looks for the `/hostname` requests kubeproof made. Ordering, not a
 * prerequisite: it runs after the checks that call the pods (see `after`), picks a pod that
 * answered one of them (WorkloadHandle.requestLog), and so needs no exec or port-forward of its
 * own. When none of our requests got through, a readable log is all it can prove, and it says so.
 */
export const podsLogs = workloadCheck({
  id: 'pods.logs',
  title: "A web pod's log shows the requests kubeproof just made",
  component: 'apiserver-kubelet',
  prerequisites: ['workload.rollout'],
  after: ['pods.portforward', 'pods.cross-node', 'dns.service', 'service.loadbalancing', 'service.nodeport'],
  rbac: [...RBAC.readPods, ...RBAC.logs],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const pods = await readyWebPods(ctx);
    const requested = [...w.requestLog].reverse().find((name) => pods.some((p) => p.name === name));
    const pod = pods.find((p) => p.name === requested) ?? pods[0];
    if (!pod) throw new Error('no ready web pod to read logs from');
    const ourRequests = w.requestLog.filter((n) => n === pod.name).length;
    const evidence = { pod: pod.name, node: pod.node, requestsKubeproofMadeToIt: ourRequests };
    let log: string;
    try {
      log = await ctx.cluster.logs(
        { namespace: w.namespace, pod: pod.name, container: 'web', tailLines: 500 },
        callOpts(ctx),
      );
    } catch (err) {
      return kubeletPathFailure(err, `logs of ${pod.name}`, evidence);
    }
    const lines = agnhostRequests(log).filter((r) => r.path === '/hostname');
    const full = { ...evidence, hostnameRequestsInLog: lines.length, lastLines: log.trimEnd().split('\n').slice(-3) };
    if (ourRequests === 0) {
      return {
        status: 'passed',
        summary: `log of ${pod.name} readable (none of kubeproof's requests reached this pod, so none to match)`,
        evidence: full,
      };
    }
    if (lines.length > 0) {
      return {
        status: 'passed',
        summary: `log of ${pod.name} shows ${lines.length} GET /hostname line(s) for the ${ourRequests} request(s) kubeproof made`,
        evidence: full,
      };
    }
    return {
      status: 'failed',
      summary: `log of ${pod.name} shows none of the ${ourRequests} GET /hostname request(s) kubeproof made to it`,
      evidence: full,
      hint: 'The log stream is readable but stale or empty: check the container runtime log files on that node (/var/log/pods) and the kubelet (articles 10, 11).',
    };
  },
});
