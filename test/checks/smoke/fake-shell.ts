/**
 * Runs `sh -c SCRIPT` sent to a scripted exec with the simulated busybox shell, each program it
 * starts answered by the test's own exec function: a batched exec (shared/client-batch.ts) then
 * reaches the test as the single commands it is made of, in order.
 */
import type { ExecResult } from '../../../src/kube/cluster-access.js';
import { capturedIo } from '../../sim/containers/captured-io.js';
import { Shell } from '../../sim/containers/shell/interpreter.js';
import type { ContainerContext, ProcessEnv } from '../../sim/containers/types.js';

export async function runShellScript(
  script: string,
  run: (argv: string[]) => ExecResult | Promise<ExecResult>,
): Promise<ExecResult> {
  const { io, output } = capturedIo();
  const proc = {
    ctx: { env: [] } as unknown as ContainerContext,
    argv: ['sh', '-c', script],
    io,
    signal: new AbortController().signal,
    pid: 1,
    onSignal: () => undefined,
    listenTcp: () => undefined,
    listenDns: () => undefined,
    has: () => true,
    async run(argv, childIo) {
      const out = await run(argv);
      if (out.stdout) childIo.stdout(out.stdout);
      if (out.stderr) childIo.stderr(out.stderr);
      return out.exitCode;
    },
  } satisfies ProcessEnv;
  const exitCode = await new Shell(proc).runScript(script, io);
  return { ...output(), exitCode };
}
