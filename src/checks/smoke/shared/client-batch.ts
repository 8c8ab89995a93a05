/**
 * Several commands in the client pod through one exec: `sh -c SCRIPT` runs them one after the
 * other, each as its own process (so each wget is still a new connection), and prints a marker
 * after each on both stdout and stderr. The markers split the two streams back into what each
 * command alone would have returned, with its own exit status, so the parsers (wget, nslookup)
 * read exactly what one exec per command gave them. One pods/exec upgrade instead of N.
 *
 * What the script relies on, as busybox ash (shell/ash.c) and POSIX sh both do: `;` lists,
 * `for NAME in WORDS; do …; done`, `$?` holding the last command's exit status when `s=$?`
 * is expanded, `>&2` redirecting one command's stdout to stderr, single-quoted words taken
 * literally, and `echo`, an ash builtin (ash.c's builtin table: "echo" → echocmd, i.e.
 * coreutils/echo.c), printing its arguments and a newline. test/checks/smoke/client-batch.test.ts
 * runs the script in the simulated busybox and in /bin/sh.
 */
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../../../kube/cluster-access.js';
import type { CheckContext } from '../../types.js';
import { parseWget, type WgetOutcome } from '../parsers/wget.js';
import { execInClient, wgetCommand } from './client.js';

/** One command: its argv, as `kubectl exec client -- ARGV` would run it. */
export type ClientCommand = readonly string[];

/** Quotes a word for sh: inside single quotes nothing is special but the quote itself. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The marker after command `index`: `echo` first ends the command's own last line (a body
 * without a newline), so the frame is exactly "\n<nonce> <index> <status>\n" and the newline
 * before it is the frame's, not the command's.
 */
function frame(nonce: string, index: string): string {
  const line = `"${nonce} ${index} $s"`;
  return `s=$?; echo; echo ${line}; echo >&2; echo ${line} >&2`;
}

/**
 * The script: a run of identical commands becomes one bounded `for` loop, any other command is
 * written out; indices count from 0 in the order given.
 */
export function batchScript(nonce: string, commands: readonly ClientCommand[]): string {
  const parts: string[] = [];
  for (let i = 0; i < commands.length; ) {
    const command = commands[i]!;
    let end = i + 1;
    while (end < commands.length && sameCommand(commands[end]!, command)) end++;
    const line = command.map(shellQuote).join(' ');
    if (end - i === 1) parts.push(`${line}; ${frame(nonce, String(i))}`);
    else {
      const indices = Array.from({ length: end - i }, (_, k) => i + k).join(' ');
      parts.push(`for i in ${indices}; do ${line}; ${frame(nonce, '$i')}; done`);
    }
    i = end;
  }
  return parts.join('\n');
}

const sameCommand = (a: ClientCommand, b: ClientCommand) => a.length === b.length && a.every((w, i) => w === b[i]);

/** Cuts one stream at the frames; undefined for a command whose frame never came. */
function splitStream(text: string, nonce: string, count: number): Array<{ text: string; status: number } | undefined> {
  const out: Array<{ text: string; status: number } | undefined> = [];
  const marker = new RegExp(`\\n${nonce} (\\d+) (\\d+)\\n`, 'g');
  let from = 0;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    const index = Number(match[1]);
    if (index !== out.length || index >= count) break;
    out.push({ text: text.slice(from, match.index), status: Number(match[2]) });
    from = marker.lastIndex;
  }
  while (out.length < count) out.push(undefined);
  return out;
}

/** What the unfinished command (or the shell) said last on stderr, past every frame. */
function lastLineAfterFrames(stderr: string, nonce: string): string {
  const after = stderr
    .slice(stderr.lastIndexOf(`${nonce} `))
    .split('\n')
    .slice(1);
  const lines = (stderr.includes(nonce) ? after : stderr.split('\n')).map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}

/**
 * Each command's own result from the batch's framed output. A command whose frame is missing
 * (the shell was killed, the output cut) did not run to its end: kubeproof cannot tell what it
 * would have said, so this throws (an `error`, never a verdict).
 */
export function parseBatch(nonce: string, count: number, result: ExecResult): ExecResult[] {
  const stdout = splitStream(result.stdout, nonce, count);
  const stderr = splitStream(result.stderr, nonce, count);
  return stdout.map((out, i) => {
    const err = stderr[i];
    if (!out || !err) {
      const tail = lastLineAfterFrames(result.stderr, nonce);
      throw new Error(
        `the client pod's shell stopped after ${i} of ${count} command(s) (exit ${result.exitCode}${tail ? `: ${tail}` : ''})`,
      );
    }
    return { stdout: out.text, stderr: err.text, exitCode: out.status };
  });
}

/**
 * Calls run one after the other in one exec, at most: where calls went out at the same time
 * before (one exec each), a batch of this many waits out at most this many wget time-outs when
 * every target drops packets, and more targets are split over execs that run at the same time.
 */
export const SEQUENTIAL_CALLS_PER_EXEC = 6;

/** One wget of a batch: its -T, plus room to connect and start the process (the exec's slack is added once). */
const wgetBatchAllowanceMs = (timeoutSec: number) => (timeoutSec + 5) * 1000;

/** A check deadline that leaves a full batch of time-outs room, plus the calls around it. */
export const batchDeadlineMs = (timeoutSec: number) =>
  30_000 + SEQUENTIAL_CALLS_PER_EXEC * wgetBatchAllowanceMs(timeoutSec);

/** A marker no command's output will contain by chance. */
const newNonce = () => `--kubeproof-${randomBytes(6).toString('hex')}--`;

export interface BatchOptions {
  /** How long one command may take; the exec's time-out is the sum, plus slack. */
  perCommandMs: number;
  /**
   * At most this many commands run one after the other in one exec; more are split into execs
   * run at the same time, so a batch's slowest case (every call waiting out its time-out) stays
   * bounded whatever the number of targets.
   */
  maxPerExec?: number;
}

/** Runs the commands in the client pod, one exec per chunk; results in the order given. */
export async function execBatchInClient(
  ctx: CheckContext,
  commands: readonly ClientCommand[],
  opts: BatchOptions,
): Promise<ExecResult[]> {
  const size = Math.max(1, opts.maxPerExec ?? commands.length);
  const chunks: ClientCommand[][] = [];
  for (let i = 0; i < commands.length; i += size) chunks.push(commands.slice(i, i + size));
  const results = await Promise.all(
    chunks.map(async (chunk) => {
      const nonce = newNonce();
      const result = await execInClient(
        ctx,
        ['sh', '-c', batchScript(nonce, chunk)],
        chunk.length * opts.perCommandMs + 10_000,
      );
      return parseBatch(nonce, chunk.length, result);
    }),
  );
  return results.flat();
}

/** `wget -qO- -T <s> URL` once per URL, batched: each call a new process and connection. */
export async function wgetBatchFromClient(
  ctx: CheckContext,
  urls: readonly string[],
  timeoutSec: number,
  maxPerExec?: number,
): Promise<WgetOutcome[]> {
  const results = await execBatchInClient(
    ctx,
    urls.map((url) => wgetCommand(url, timeoutSec)),
    { perCommandMs: wgetBatchAllowanceMs(timeoutSec), ...(maxPerExec ? { maxPerExec } : {}) },
  );
  return results.map(parseWget);
}
