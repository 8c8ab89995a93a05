import type { ExecResult } from '../../../kube/cluster-access.js';
import type { CheckContext } from '../../types.js';
import { parseWget, type WgetOutcome } from '../parsers/wget.js';
import { callOpts, requireWorkload } from './pods.js';

/** Runs a command in the busybox client pod (the smoke test's `kubectl exec client -- ...`, docs/guide.md). */
export async function execInClient(ctx: CheckContext, command: string[], timeoutMs = 20_000): Promise<ExecResult> {
  const w = requireWorkload(ctx);
  return ctx.cluster.exec(
    { namespace: w.namespace, pod: w.clientPodName, container: w.clientPodName, command },
    callOpts(ctx, timeoutMs),
  );
}

/** `wget -qO- -T <s> URL` from the client; always with -T, or busybox waits 900 s. */
export async function wgetFromClient(ctx: CheckContext, url: string, timeoutSec: number): Promise<WgetOutcome> {
  const result = await execInClient(ctx, wgetCommand(url, timeoutSec), wgetAllowanceMs(timeoutSec));
  return parseWget(result);
}

export const wgetCommand = (url: string, timeoutSec: number) => ['wget', '-qO-', '-T', String(timeoutSec), url];

/** How long one wget may take before kubeproof stops waiting for it: its own -T, plus slack. */
const wgetAllowanceMs = (timeoutSec: number) => (timeoutSec + 10) * 1000;

/** Records that a web pod answered one of our `/hostname` requests (pods.logs looks for them). */
export function recordAnswer(ctx: CheckContext, podName: string): void {
  ctx.workload?.requestLog.push(podName.trim());
}
