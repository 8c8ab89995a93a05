import { recordAnswer } from './shared/client.js';
import { kubeletPathFailure, WRONG_ANSWER_HINT } from './shared/kubelet-path.js';
import { callOpts, oneReadyWebPod } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

export const podsPortForward = workloadCheck({
  id: 'pods.portforward',
  title: 'Through the portforward subresource, GET /hostname returns the pod name',
  component: 'apiserver-kubelet',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.portForward],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const pod = await oneReadyWebPod(ctx, 'to forward to');
    const evidence = { pod: pod.name, node: pod.node, port: 8080, path: '/hostname' };
    let answer: Awaited<ReturnType<typeof ctx.cluster.portForwardGet>>;
    try {
      answer = await ctx.cluster.portForwardGet(
        { namespace: w.namespace, pod: pod.name, port: 8080, path: '/hostname' },
        callOpts(ctx),
      );
    } catch (err) {
      return kubeletPathFailure(err, `port-forward to ${pod.name}:8080`, evidence);
    }
    const body = answer.body.trim();
    if (answer.status === 200) recordAnswer(ctx, body);
    const full = { ...evidence, httpStatus: answer.status, body };
    if (answer.status === 200 && body === pod.name) {
      return {
        status: 'passed',
        summary: `GET /hostname through port-forward to ${pod.name} answered ${body}`,
        evidence: full,
      };
    }
    return {
      status: 'failed',
      summary: `port-forward to ${pod.name} answered HTTP ${answer.status} "${body}"`,
      evidence: full,
      hint: WRONG_ANSWER_HINT,
    };
  },
});
