import { readFile, writeFile } from 'node:fs/promises';
import { type AuditArgs, parseAuditArgs, USAGE, UsageError } from './args.js';
import { ApiClient, ApiProblem, type Fetch, readSse } from './client.js';

export const EXIT = { passed: 0, failed: 1, error: 2, usage: 3 } as const;

export interface CliIo {
  fetch: Fetch;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

const REPORT_FORMAT = { text: 'markdown', json: 'json', junit: 'junit' } as const;

/** Final run status → exit code. */
export function exitCodeFor(status: string): number {
  if (status === 'passed') return EXIT.passed;
  if (status === 'failed') return EXIT.failed;
  if (status === 'cancelled') return EXIT.usage;
  return EXIT.error;
}

async function readKubeconfig(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `--kubeconfig: no such file: ${path}`
        : `--kubeconfig: cannot read ${path} (${code ?? 'error'})`,
    );
  }
}

/** Submits, follows progress on stderr until the run ends (cancelling at --timeout), prints the report. */
async function runAudit(args: AuditArgs, io: CliIo): Promise<number> {
  const kubeconfig = await readKubeconfig(args.kubeconfig);
  const client = new ApiClient(args.server, io.fetch, args.token);
  const created = await client.json<{ id: string; warnings: string[] }>('POST', '/v1/audits', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kubeconfig,
      ...(args.context ? { context: args.context } : {}),
      ...(args.checks ? { checks: args.checks } : {}),
    }),
  });
  io.stderr(`audit ${created.id} queued on ${args.server}\n`);
  for (const warning of created.warnings) io.stderr(`warning: ${warning}\n`);

  const base = `/v1/audits/${encodeURIComponent(created.id)}`;
  let timedOut = false;
  const timer = args.timeoutSeconds
    ? setTimeout(() => {
        timedOut = true;
        io.stderr(`timeout: no result after ${args.timeoutSeconds} s, cancelling\n`);
        client.request('POST', `${base}/cancel`).catch(() => undefined);
      }, args.timeoutSeconds * 1000)
    : undefined;
  let status = 'unknown';
  try {
    // No abort of its own: the stream ends with the run, which --timeout cancels.
    const stream = await client.request('GET', `${base}/events`, { headers: { accept: 'text/event-stream' } });
    await readSse(stream, (event, data) => {
      const parsed = JSON.parse(data) as { message?: string; level?: string; status?: string };
      if (event === 'progress') io.stderr(`${parsed.level === 'info' ? '' : `${parsed.level}: `}${parsed.message}\n`);
      if (event === 'end') status = parsed.status ?? 'unknown';
    });
  } finally {
    if (timer) clearTimeout(timer);
  }
  const report = await client.request('GET', `${base}/report?format=${REPORT_FORMAT[args.format]}`);
  const text = await report.text();
  if (args.output) {
    await writeFile(args.output, text);
    io.stderr(`report written to ${args.output}\n`);
  } else io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  io.stderr(`audit ${created.id}: ${status}${timedOut ? ' (timed out)' : ''}\n`);
  return exitCodeFor(status);
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
  try {
    return await runAudit(parseAuditArgs(rest, io.env), io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`kubeproof: ${err.message}\n\nRun "kubeproof audit --help" for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof ApiProblem) {
      io.stderr(`kubeproof: the service refused the request (${err.status} ${err.code}): ${err.message}\n`);
      return err.status < 500 ? EXIT.usage : EXIT.error;
    }
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    io.stderr(`kubeproof: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
    return EXIT.error;
  }
}
