import { parseArgs } from 'node:util';
import { commaList, messageOf } from '../kernel/text.js';
import { REPORT_FORMAT_NAMES, type ReportFormat } from '../report/formats.js';

/** Bad command-line usage: the CLI prints it and exits with the usage code. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `--format` prints on stdout: every report format, and `text`, the Markdown report, readable in a terminal. */
export const OUTPUT_FORMATS = ['text', ...REPORT_FORMAT_NAMES] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How progress is shown on stderr: `live` redraws one line per check (a terminal), `plain` appends timestamped lines. */
export const PROGRESS_MODES = ['auto', 'live', 'plain', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** Report files, one flag per report format (`--junit FILE`, `--markdown FILE`, `--json FILE`): format → path. */
export type ReportFiles = Partial<Record<ReportFormat, string>>;

export interface AuditArgs {
  /** `--kubeconfig`; absent: KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  checks?: string[];
  /** `--namespace`: least-privilege mode, the audit runs inside this existing namespace (`options.namespace`). */
  namespace?: string;
  /** `--server` or KUBEPROOF_URL; absent: in-process mode. */
  server?: string;
  token?: string;
  format: OutputFormat;
  output?: string;
  files: ReportFiles;
  timeoutSeconds?: number;
  progress: ProgressMode;
}

/** The exit codes, one place: `--help`, README and the docs table say the same. */
export const EXIT = {
  /** every check passed */
  passed: 0,
  /** the cluster failed at least one check */
  failed: 1,
  /** kubeproof could not tell: a check error, interrupted, cancelled, --timeout, service unreachable or 5xx */
  error: 2,
  /** usage: bad flags, unknown check, unreadable kubeconfig, credential plugin failed, any other 4xx */
  usage: 3,
  /** the service refused our API token (401/403) */
  refused: 4,
} as const;

export const USAGE = `Usage: kubeproof audit [options]

Audits the cluster of your kubeconfig's current context and prints the report.
Without --server the audit runs here, in this process (no service to host, nothing stored);
with --server URL (or KUBEPROOF_URL) a kubeproof service runs it and keeps the result.

Cluster (as kubectl finds it):
  --kubeconfig FILE   kubeconfig to use (default: $KUBECONFIG, a ':'-separated list merged as
                      kubectl merges it, else ~/.kube/config, else in a pod its ServiceAccount)
  --context NAME      context to use (default: current-context)
  --checks LIST       comma-separated check ids or groups (default: preflight,smoke,encryption)
  --namespace NAME    run inside this existing namespace (least-privilege mode: nothing else is
                      created or deleted there but the audit's own objects; RBAC from
                      GET /v1/rbac?namespace=NAME); default: a namespace of the audit's own
  Exec credential plugins (EKS, GKE, AKS) and certificate/token files are used here, as kubectl
  would; a service only ever receives the resulting token or certificate.

Service:
  --server URL        kubeproof service URL (default: $KUBEPROOF_URL; none: run in-process)
  --token TOKEN       the service's API bearer token (default: $KUBEPROOF_TOKEN)

Output:
  --format FORMAT     report on stdout: ${OUTPUT_FORMATS.join(' | ')} (default: text)
  --output FILE       write that report to FILE instead of stdout
  --junit FILE        also write JUnit XML to FILE      (any combination; written on every ending,
  --markdown FILE     also write Markdown to FILE        with one error testcase saying why when
  --json FILE         also write the JSON report to FILE the audit could not reach a verdict)
  --progress MODE     auto | live | plain | none (default: auto: live on a terminal, plain in a pipe)
  --timeout SECONDS   cancel the audit if it has not finished after SECONDS (exit 2)

Exit status:
  0  every check passed
  1  the cluster failed at least one check
  2  kubeproof could not tell: a check error, interrupted, cancelled, --timeout reached,
     service unreachable or answering 5xx
  3  usage: bad flags, unknown check, unreadable kubeconfig, credential plugin failed,
     the service refused the request (4xx other than 401/403)
  4  the service refused the API token (401/403)
`;

const FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  checks: { type: 'string' },
  namespace: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  ...(Object.fromEntries(REPORT_FORMAT_NAMES.map((name) => [name, { type: 'string' }])) as Record<
    ReportFormat,
    { type: 'string' }
  >),
  progress: { type: 'string' },
  timeout: { type: 'string' },
} as const;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/**
 * Parses `kubeproof audit ...` arguments. Throws UsageError with a message a person can act on.
 * @example parseAuditArgs(['--kubeconfig', 'k.yaml', '--junit', 'kubeproof.xml'], {})
 */
export function parseAuditArgs(argv: string[], env: Record<string, string | undefined>): AuditArgs {
  let values: Partial<Record<keyof typeof FLAGS, string>>;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: FLAGS }));
  } catch (err) {
    throw new UsageError(messageOf(err));
  }
  for (const [name, value] of Object.entries(values)) if (value === '') throw new UsageError(`--${name} needs a value`);
  const format = oneOf('format', values.format ?? 'text', OUTPUT_FORMATS);
  const progress = oneOf('progress', values.progress ?? 'auto', PROGRESS_MODES);
  const server = values.server ?? (env.KUBEPROOF_URL?.trim() || undefined);
  if (server !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(server);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new UsageError(`--server must be an http(s) URL, got "${server}"`);
  }
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
      throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  }
  const checks = values.checks === undefined ? undefined : commaList(values.checks);
  if (checks && checks.length === 0) throw new UsageError('--checks needs at least one check id or group');
  const files: ReportFiles = {};
  for (const kind of REPORT_FORMAT_NAMES) if (values[kind]) files[kind] = values[kind];
  const token = values.token ?? (env.KUBEPROOF_TOKEN?.trim() || undefined);
  return {
    format,
    files,
    progress,
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(checks ? { checks } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(server ? { server: server.replace(/\/+$/, '') } : {}),
    ...(token ? { token } : {}),
    ...(values.output ? { output: values.output } : {}),
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
  };
}
