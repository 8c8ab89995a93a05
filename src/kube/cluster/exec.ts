import { PassThrough } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { ClusterError, type ExecRequest, type ExecResult } from '../cluster-access.js';
import { tooLarge } from './body.js';
import { errorFromStatusObject } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { connected, type StreamDialer, withSockets } from './websocket.js';

/**
 * Collects stdout and stderr under one cap: past it, nothing more is kept and `overflow` is
 * called (the caller closes the stream), so a command printing forever costs at most `maxBytes`.
 */
export function boundedCollector(maxBytes: number, overflow: () => void) {
  let size = 0;
  let exceeded = false;
  const collect = (stream: PassThrough): (() => string) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        if (!exceeded) overflow();
        exceeded = true;
        return;
      }
      chunks.push(c);
    });
    return () => Buffer.concat(chunks).toString('utf8');
  };
  return { collect, exceeded: () => exceeded };
}

/** Exit code from the channel-3 Status: Success → 0, NonZeroExitCode → its ExitCode cause. */
export function exitCodeFromStatus(status: V1Status): number | ClusterError {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    return Number.isInteger(code) ? code : 1;
  }
  return errorFromStatusObject(status);
}

/** Runs a command in a container over the exec WebSocket; resolves with its output and exit code. */
export function execInPod(
  kc: KubeConfig,
  dialer: StreamDialer,
  container: string,
  req: ExecRequest,
  signal: AbortSignal,
): Promise<ExecResult> {
  return withSockets(kc, dialer, signal, async (handler) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let socket: { terminate(): void } | undefined;
    const output = boundedCollector(DEFAULT_LIMITS.execBytes, () => socket?.terminate());
    const readOut = output.collect(stdout);
    const readErr = output.collect(stderr);
    let status: V1Status | undefined;
    // Written now (buffered until client-node reads it, once the socket is open) and never ended:
    // client-node closes the socket when stdin ends on v4 (only v5 has a close signal for one
    // channel), before the command's output arrived (see ExecRequest.stdin).
    const stdin = req.stdin === undefined ? null : new PassThrough();
    stdin?.write(req.stdin);
    const ws = await connected(
      new Exec(kc, handler).exec(req.namespace, req.pod, container, req.command, stdout, stderr, stdin, false, (s) => {
        status = s;
      }),
    );
    socket = ws;
    await new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) resolve();
      else ws.once('close', () => resolve());
    });
    if (signal.aborted) throw signal.reason;
    // Let the stdout/stderr PassThroughs deliver what the last frames wrote.
    await new Promise((resolve) => setImmediate(resolve));
    if (output.exceeded()) throw tooLarge('the output of exec', DEFAULT_LIMITS.execBytes);
    const exit = status ? exitCodeFromStatus(status) : 0;
    if (exit instanceof ClusterError) throw exit;
    return { stdout: readOut(), stderr: readErr(), exitCode: exit };
  });
}
