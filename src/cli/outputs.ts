/**
 * The report files and the stdout report, written on every ending. When the audit reached no
 * verdict (cancelled, interrupted, --timeout, the service lost mid-run or never reached), the
 * report carries one `error` result, `kubeproof.run`, saying why — so a CI test reporter always
 * finds a file and a reason, never nothing.
 */
import { writeFile } from 'node:fs/promises';
import type { CheckCause } from '../kernel/vocabulary.js';
import { type ReportFormat, renderReport } from '../report/index.js';
import type { AuditRun } from '../report/schema.js';
import type { OutputFormat, ReportFiles } from './args.js';

/** Why the audit has no verdict of its own. */
export interface NoVerdict {
  cause: CheckCause;
  message: string;
  hint?: string;
}

export const RUN_CHECK_ID = 'kubeproof.run';

/** The run with the `kubeproof.run` error result appended (its counts updated). */
export function withNoVerdict(run: AuditRun, why: NoVerdict, at: Date): AuditRun {
  const now = at.toISOString();
  const check: AuditRun['checks'][number] = {
    id: RUN_CHECK_ID,
    title: 'kubeproof reached a verdict',
    group: 'kubeproof',
    component: 'kubeproof',
    references: [],
    status: 'error',
    startedAt: run.startedAt ?? run.createdAt,
    finishedAt: now,
    durationMs: 0,
    summary: why.message,
    evidence: { runStatus: run.status, ...(run.errorDetail ? { errorDetail: run.errorDetail } : {}) },
    warnings: [],
    cause: why.cause,
    ...(why.hint ? { hint: why.hint } : {}),
  };
  const summary = { ...run.summary, total: run.summary.total + 1, error: run.summary.error + 1 };
  return {
    ...run,
    status: run.status === 'passed' || run.status === 'failed' ? 'error' : run.status,
    summary,
    checks: [...run.checks, check],
  };
}

/** A run that the service never returned (never created, or lost before it could be read). */
export function placeholderRun(
  info: { id?: string; server: string; contextName: string; selection: string[] },
  at: Date,
): AuditRun {
  const id = info.id ?? 'not-created';
  const base = `/v1/audits/${id}`;
  return {
    id,
    status: 'error',
    createdAt: at.toISOString(),
    startedAt: null,
    finishedAt: at.toISOString(),
    durationMs: null,
    cluster: { server: info.server, clusterName: '', contextName: info.contextName, serverVersion: null },
    selection: info.selection,
    options: {},
    labels: {},
    warnings: [],
    summary: { total: 0, passed: 0, failed: 0, skipped: 0, error: 0 },
    cleanup: null,
    errorDetail: null,
    links: { self: base, report: `${base}/report`, events: `${base}/events`, cancel: `${base}/cancel` },
    checks: [],
  };
}

/** `--format text` is the Markdown report; every other `--format` names a report format. */
const stdoutFormat = (format: OutputFormat): ReportFormat => (format === 'text' ? 'markdown' : format);

export interface WrittenOutputs {
  /** Files written, and the ones that could not be (with why). */
  written: string[];
  failed: string[];
}

/** Writes every requested report file; `stdout` gets the `--format` report unless `--output` names a file. */
export async function writeOutputs(
  run: AuditRun,
  files: ReportFiles,
  stdout: { format: OutputFormat; output?: string; write?: (text: string) => void },
): Promise<WrittenOutputs> {
  const result: WrittenOutputs = { written: [], failed: [] };
  const targets: Array<[ReportFormat, string]> = Object.entries(files).map(([f, p]) => [f as ReportFormat, p]);
  if (stdout.output) targets.push([stdoutFormat(stdout.format), stdout.output]);
  for (const [format, path] of targets) {
    try {
      await writeFile(path, renderReport(run, format));
      result.written.push(path);
    } catch (err) {
      result.failed.push(`${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (!stdout.output && stdout.write) {
    const text = renderReport(run, stdoutFormat(stdout.format));
    stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
  return result;
}
