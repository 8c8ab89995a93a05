import { parseArgs } from 'node:util';

/** Bad command-line usage: the CLI prints it and exits with the usage code. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const OUTPUT_FORMATS = ['text', 'json', 'junit'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface AuditArgs {
  kubeconfig: string;
  context?: string;
  checks?: string[];
  server: string;
  token?: string;
  format: OutputFormat;
  output?: string;
  timeoutSeconds?: number;
}

export const USAGE = `Usage: kubeproof audit --kubeconfig FILE [options]

Runs an audit on a kubeproof service and prints the report.

Options:
  --kubeconfig FILE   kubeconfig to audit (inline certificates: kubectl config view --raw --minify --flatten)
  --context NAME      context to use (default: current-context)
  --checks LIST       comma-separated check ids or groups (default: preflight,smoke,encryption)
  --server URL        kubeproof service URL (default: $KUBEPROOF_URL or http://127.0.0.1:8080)
  --token TOKEN       API bearer token (default: $KUBEPROOF_TOKEN)
  --format FORMAT     text | json | junit (default: text)
  --output FILE       write the report to FILE instead of stdout
  --timeout SECONDS   cancel the audit if it has not finished after SECONDS

Exit status: 0 passed, 1 failed, 2 error (kubeproof could not tell), 3 usage error or cancelled.
`;

/**
 * Parses `kubeproof audit ...` arguments. Throws UsageError with a message a person can act on.
 * @example parseAuditArgs(['--kubeconfig', 'k.yaml', '--format', 'junit'], {})
 */
export function parseAuditArgs(argv: string[], env: Record<string, string | undefined>): AuditArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        checks: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        timeout: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const kubeconfig = str('kubeconfig');
  if (!kubeconfig) throw new UsageError('--kubeconfig FILE is required');
  const format = str('format') ?? 'text';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got "${format}"`);
  }
  const server = str('server') ?? env.KUBEPROOF_URL ?? 'http://127.0.0.1:8080';
  try {
    const url = new URL(server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new UsageError(`--server must be an http(s) URL, got "${server}"`);
  }
  const timeout = str('timeout');
  let timeoutSeconds: number | undefined;
  if (timeout !== undefined) {
    timeoutSeconds = Number(timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
      throw new UsageError(`--timeout must be a positive number of seconds, got "${timeout}"`);
  }
  const checks = str('checks')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (checks && checks.length === 0) throw new UsageError('--checks needs at least one check id or group');
  const token = str('token') ?? env.KUBEPROOF_TOKEN;
  return {
    kubeconfig,
    server: server.replace(/\/+$/, ''),
    format: format as OutputFormat,
    ...(str('context') ? { context: str('context') } : {}),
    ...(checks ? { checks } : {}),
    ...(token ? { token } : {}),
    ...(str('output') ? { output: str('output') } : {}),
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
  };
}
