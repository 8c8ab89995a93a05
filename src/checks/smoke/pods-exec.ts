import { kubeletPathFailure, WRONG_ANSWER_HINT } from './shared/kubelet-path.js';
import { callOpts, oneReadyWebPod } from './shared/pods.js';
import { RBAC } from './shared/rbac.js';
import { workloadCheck } from './shared/workload-check.js';

export const podsExec = workloadCheck({
  id: 'pods.exec',
  title: '`hostname` run in a web pod returns its pod name',
  component: 'apiserver-kubelet',
  prerequisites: ['workload.rollout'],
  rbac: [...RBAC.readPods, ...RBAC.exec],
  deadlineMs: 30_000,
  async run(ctx, w) {
    const pod = await oneReadyWebPod(ctx, 'to exec into');
    const evidence = { pod: pod.name, node: pod.node, command: ['hostname'] };
    let result: Awaited<ReturnType<typeof ctx.cluster.exec>>;
    try {
      result = await ctx.cluster.exec(
        { namespace: w.namespace, pod: pod.name, container: 'web', command: ['hostname'] },
        callOpts(ctx),
      );
    } catch (err) {
      return kubeletPathFailure(err, `exec in ${pod.name}`, evidence);
    }
    const answered = result.stdout.trim();
    const full = { ...evidence, stdout: answered, stderr: result.stderr.trim(), exitCode: result.exitCode };
    if (result.exitCode === 0 && answered === pod.name) {
      return {
        status: 'passed',
        summary: `exec hostname in ${pod.name} (on ${pod.node}) returned ${answered}`,
        evidence: full,
      };
    }
    return {
      status: 'failed',
      summary: `exec hostname in ${pod.name} returned "${answered}" (exit ${result.exitCode})`,
      evidence: full,
      hint: WRONG_ANSWER_HINT,
    };
  },
});
