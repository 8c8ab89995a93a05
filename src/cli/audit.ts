/**
 * `kubeproof audit`: resolves the kubeconfig as kubectl does, submits the audit (in-process or
 * to `--server`), follows its progress, writes every requested report on every ending and exits
 * with a code that keeps "the cluster failed" (1) apart from "kubeproof could not tell" (2).
 */

import { z } from '@hono/zod-openapi';
import { messageOf } from '../kernel/text.js';
import { type AuditRun, AuditRunSchema } from '../report/schema.js';
import { type AuditArgs, EXIT, parseAuditArgs, USAGE, UsageError } from './args.js';
import { ApiClient, ApiProblem, type Fetch, readSse } from './client.js';
import { loadKubeconfig } from './kubeconfig/load.js';
import { type ResolvedKubeconfig, resolveKubeconfig } from './kubeconfig/resolve.js';
import { type NoVerdict, placeholderRun, withNoVerdict, writeOutputs } from './outputs.js';
import { liveProgress, type Progress, plainProgress, silentProgress } from './progress.js';
import { inProcessTarget, remoteTarget, type Target } from './target.js';

export { EXIT } from './args.js';

export interface CliIo {
  /** Used for `--server`. */
  fetch: Fetch;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (live progress). */
  isTTY?: boolean;
  columns?: number;
  /** Aborted on SIGINT/SIGTERM: the audit is cancelled (its cleanup runs) and reports are written. */
  signal?: AbortSignal;
  /** Builds the in-process service (tests inject one around a simulated cluster). */
  inProcess?: (env: Record<string, string | undefined>) => Promise<Target>;
  /** Home directory for ~/.kube/config (default: $HOME). */
  home?: string;
  /** A pod's ServiceAccount mount (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
  /** Plain progress: the longest silence while a check runs (default 10 s). */
  heartbeatMs?: number;
  /** Delays between reconnection attempts when the event stream breaks (default ≈ 30 s in all). */
  reconnectDelaysMs?: readonly number[];
}

/** What the CLI reads of `POST /v1/audits`' 202 (the API documents more). */
const AuditCreated = z.object({ id: z.string(), warnings: z.array(z.string()) });

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** After a cancel (--timeout, Ctrl-C), how long cleanup may take before we stop waiting for the end. */
const CANCEL_GRACE_MS = 120_000;

/** Final run status → exit code. */
export function exitCodeFor(status: string): number {
  if (status === 'passed') return EXIT.passed;
  if (status === 'failed') return EXIT.failed;
  return EXIT.error;
}

/** An API refusal → exit code: 401/403 our token, other 4xx usage, 5xx could not tell. */
export function exitCodeForProblem(status: number): number {
  if (status === 401 || status === 403) return EXIT.refused;
  if (status >= 400 && status < 500) return EXIT.usage;
  return EXIT.error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The message and, when there is one, its cause's (fetch hides why a connection failed in `cause`). */
const messageWithCause = (err: unknown) => {
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${messageOf(err)}${cause}`;
};

function progressFor(args: AuditArgs, io: CliIo): Progress {
  const mode = args.progress === 'auto' ? (io.isTTY ? 'live' : 'plain') : args.progress;
  if (mode === 'none') return silentProgress;
  const opts = {
    write: io.stderr,
    ...(io.heartbeatMs ? { heartbeatMs: io.heartbeatMs } : {}),
    ...(io.columns ? { columns: io.columns } : {}),
  };
  return mode === 'live' ? liveProgress(opts) : plainProgress(opts);
}

interface Ending {
  code: number;
  run?: AuditRun;
  why?: NoVerdict;
}

/** Follows one audit to its end: the event stream (resumed after a break), --timeout and Ctrl-C. */
async function follow(
  client: ApiClient,
  id: string,
  args: AuditArgs,
  io: CliIo,
  progress: Progress,
): Promise<{ status?: string; why?: NoVerdict }> {
  const base = `/v1/audits/${encodeURIComponent(id)}`;
  let stopReason: NoVerdict | undefined;
  let cancelledAt: number | undefined;
  const cancel = (why: NoVerdict) => {
    if (stopReason) return;
    stopReason = why;
    cancelledAt = Date.now();
    progress.note(`${why.message}; cancelling (cleanup still runs)`);
    client.request('POST', `${base}/cancel`).catch(() => undefined);
  };
  const timer = args.timeoutSeconds
    ? setTimeout(
        () =>
          cancel({
            cause: 'timeout',
            message: `no verdict within --timeout ${args.timeoutSeconds} s`,
            hint: 'Raise --timeout, or look at the progress above for the check that was waiting.',
          }),
        args.timeoutSeconds * 1000,
      )
    : undefined;
  const onSignal = () => cancel({ cause: 'cancelled', message: 'interrupted (SIGINT/SIGTERM)' });
  io.signal?.addEventListener('abort', onSignal, { once: true });
  const delays = io.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
  let after = 0;
  let failures = 0;
  let status: string | undefined;
  try {
    while (status === undefined) {
      try {
        const stream = await client.request('GET', `${base}/events?after=${after}`, {
          headers: { accept: 'text/event-stream' },
        });
        failures = 0;
        await readSse(stream, (event, data, seq) => {
          if (event === 'progress') {
            if (seq && Number(seq) > after) after = Number(seq);
            progress.event(JSON.parse(data));
          } else if (event === 'end') status = (JSON.parse(data) as { status?: string }).status ?? 'unknown';
        });
        if (status === undefined) throw new Error('the event stream ended before the audit did');
      } catch (err) {
        if (err instanceof ApiProblem && err.status < 500) throw err;
        const delay = delays[failures++];
        const pastGrace = cancelledAt !== undefined && Date.now() - cancelledAt > CANCEL_GRACE_MS;
        if (delay === undefined || pastGrace) {
          return {
            why: {
              cause: 'unreachable',
              message: `lost the kubeproof service mid-run: ${messageWithCause(err)}`,
              hint: `The audit ${id} may still be running on the service; GET ${base} tells its status.`,
            },
          };
        }
        progress.note(`event stream broken (${messageWithCause(err)}); reconnecting in ${delay / 1000} s`);
        await sleep(delay);
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    io.signal?.removeEventListener('abort', onSignal);
  }
  return { status, ...(stopReason ? { why: stopReason } : {}) };
}

/** Submits and follows the audit; never throws for an ending it can explain. */
async function audit(args: AuditArgs, resolved: ResolvedKubeconfig, target: Target, io: CliIo, progress: Progress) {
  const client = new ApiClient(target.base, target.fetch, args.token);
  let id: string | undefined;
  const placeholder = () =>
    placeholderRun(
      {
        ...(id ? { id } : {}),
        server: resolved.server,
        contextName: resolved.contextName,
        selection: args.checks ?? [],
      },
      new Date(),
    );
  try {
    const created = await client.json('POST', '/v1/audits', AuditCreated, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kubeconfig: resolved.text,
        ...(args.checks ? { checks: args.checks } : {}),
        // The service validates the name (a 400 is a usage error, exit 3).
        ...(args.namespace ? { options: { namespace: args.namespace } } : {}),
      }),
    });
    id = created.id;
    progress.note(
      `audit ${created.id} of ${resolved.server} (context ${resolved.contextName}, credentials from ${resolved.credentialSource}) ${target.inProcess ? 'running in-process' : `queued on ${target.where}`}`,
    );
    for (const warning of created.warnings) progress.note(`warning: ${warning}`);
    const followed = await follow(client, created.id, args, io, progress);
    let run: AuditRun;
    try {
      run = await client.json('GET', `/v1/audits/${encodeURIComponent(created.id)}`, AuditRunSchema);
    } catch (err) {
      const why = followed.why ?? {
        cause: 'unreachable' as const,
        message: `the audit ended but its result could not be read: ${messageWithCause(err)}`,
      };
      return { code: EXIT.error, run: withNoVerdict(placeholder(), why, new Date()), why };
    }
    const final = followed.status ?? run.status;
    let why = followed.why;
    if (!why && final === 'cancelled')
      why = { cause: 'cancelled', message: `the audit was cancelled: ${run.errorDetail ?? 'by a cancel request'}` };
    if (!why && final === 'interrupted')
      why = {
        cause: 'unexpected',
        message: `the kubeproof service stopped mid-run: ${run.errorDetail ?? 'restarted'}`,
      };
    if (!why && final === 'error' && !run.checks.some((c) => c.status === 'error'))
      why = {
        cause: 'unexpected',
        message: run.errorDetail ?? 'the audit ended in error without a check result saying why',
      };
    if (!followed.status && followed.why) {
      // The stream was lost and never came back; the run as last read is not final.
      return { code: EXIT.error, run: withNoVerdict(run, followed.why, new Date()), why: followed.why };
    }
    if (why)
      return {
        code: EXIT.error,
        run: withNoVerdict({ ...run, status: final as AuditRun['status'] }, why, new Date()),
        why,
      };
    return { code: exitCodeFor(final), run };
  } catch (err) {
    if (err instanceof ApiProblem) {
      const code = exitCodeForProblem(err.status);
      const why: NoVerdict = {
        cause: code === EXIT.refused ? 'credentials' : 'unexpected',
        message: `the kubeproof service refused the request (${err.status} ${err.code}): ${err.message}`,
        ...(code === EXIT.refused ? { hint: 'Give the service API token with --token or KUBEPROOF_TOKEN.' } : {}),
      };
      return { code, run: withNoVerdict(placeholder(), why, new Date()), why };
    }
    const why: NoVerdict = {
      cause: 'unreachable',
      message: `the kubeproof service at ${target.where} could not be reached: ${messageWithCause(err)}`,
    };
    return { code: EXIT.error, run: withNoVerdict(placeholder(), why, new Date()), why };
  }
}

async function runAudit(args: AuditArgs, io: CliIo): Promise<number> {
  const progress = progressFor(args, io);
  let ending: Ending;
  let target: Target | undefined;
  try {
    const loaded = loadKubeconfig({
      ...(args.kubeconfig ? { explicit: args.kubeconfig } : {}),
      env: io.env,
      ...(io.home ? { home: io.home } : {}),
      ...(io.serviceAccountDir ? { serviceAccountDir: io.serviceAccountDir } : {}),
    });
    const resolved = await resolveKubeconfig(loaded, args.context, io.env);
    target = args.server ? remoteTarget(args, io.fetch) : await (io.inProcess ?? inProcessTarget)(io.env);
    ending = await audit(args, resolved, target, io, progress);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const why: NoVerdict = { cause: 'unexpected', message: err.message };
    const run = withNoVerdict(
      placeholderRun({ server: '', contextName: args.context ?? '', selection: args.checks ?? [] }, new Date()),
      why,
      new Date(),
    );
    ending = { code: EXIT.usage, run, why };
  } finally {
    progress.stop();
    await target?.close();
  }
  const { run, why } = ending;
  if (run) {
    // The stdout report: always for a run that exists; for a usage ending only when a machine reads stdout.
    const printStdout = run.id !== 'not-created' || args.format !== 'text';
    const outputs = await writeOutputs(run, args.files, {
      format: args.format,
      ...(args.output ? { output: args.output } : {}),
      ...(printStdout ? { write: io.stdout } : {}),
    });
    for (const path of outputs.written) io.stderr(`report written to ${path}\n`);
    for (const failed of outputs.failed) io.stderr(`kubeproof: could not write ${failed}\n`);
  }
  if (why) io.stderr(`kubeproof: ${why.message}${why.hint ? `\n${why.hint}` : ''}\n`);
  if (ending.code === EXIT.usage && !ending.run?.checks.some((c) => c.id !== 'kubeproof.run'))
    io.stderr('Run "kubeproof audit --help" for usage.\n');
  io.stderr(`kubeproof: ${run?.status ?? 'error'} (exit ${ending.code})\n`);
  return ending.code;
}

/**
 * The `kubeproof` command. Returns the exit code; never throws.
 * @example process.exitCode = await runCli(process.argv.slice(2), { fetch, stdout, stderr, env: process.env })
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? io.stdout : io.stderr)(USAGE);
    return command ? EXIT.passed : EXIT.usage;
  }
  if (command !== 'audit') {
    io.stderr(`kubeproof: unknown command "${command}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return EXIT.passed;
  }
  let args: AuditArgs;
  try {
    args = parseAuditArgs(rest, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`kubeproof: ${err.message}\n\nRun "kubeproof audit --help" for usage.\n`);
    return EXIT.usage;
  }
  try {
    return await runAudit(args, io);
  } catch (err) {
    io.stderr(`kubeproof: internal error: ${messageWithCause(err)}\n`);
    return EXIT.error;
  }
}
