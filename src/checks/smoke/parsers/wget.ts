import type { ExecResult } from '../../../kube/cluster-access.js';

/** What busybox `wget -qO- -T N URL` said, read from stderr rather than the exit code alone. */
export type WgetOutcome = { ok: true; body: string } | { ok: false; failure: WgetFailure; message: string };

export type WgetFailure =
  | 'bad-address' // the name did not resolve: DNS
  | 'refused' // nothing listening / REJECT rule (no endpoints)
  | 'timeout' // packets dropped
  | 'http-error' // the server answered with an error status
  | 'unreachable' // no route / host unreachable
  | 'other';

const PATTERNS: Array<[RegExp, WgetFailure]> = [
  [/bad address/, 'bad-address'],
  [/Connection refused/, 'refused'],
  [/timed out/, 'timeout'],
  [/server returned error/, 'http-error'],
  [/(No route to host|Host is unreachable|Network is unreachable)/, 'unreachable'],
];

/** Reads a busybox wget exec: the body on success, otherwise the kind of failure. */
export function parseWget(result: ExecResult): WgetOutcome {
  const message = result.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  if (result.exitCode === 0) return { ok: true, body: result.stdout };
  const failure = PATTERNS.find(([re]) => re.test(result.stderr))?.[1] ?? 'other';
  return { ok: false, failure, message: message || `wget exited ${result.exitCode}` };
}
