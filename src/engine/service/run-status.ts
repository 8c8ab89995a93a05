import type { CheckStatus } from '../../kernel/vocabulary.js';

export type StatusCounts = Record<CheckStatus, number>;

export type EndReason =
  | { kind: 'completed' }
  | { kind: 'cancelled' }
  | { kind: 'shutdown' }
  | { kind: 'deadline'; seconds: number }
  | { kind: 'crashed'; detail: string };

export interface FinalStatus {
  status: 'passed' | 'failed' | 'error' | 'cancelled' | 'interrupted';
  errorDetail?: string;
}

/**
 * The run's verdict: `failed` whenever the cluster failed a check (even if we later gave up),
 * `error` when nothing failed but kubeproof could not tell, `passed` otherwise.
 */
export function finalStatus(counts: StatusCounts, end: EndReason): FinalStatus {
  if (end.kind === 'cancelled') return { status: 'cancelled', errorDetail: 'Cancelled on request.' };
  if (end.kind === 'shutdown') return { status: 'interrupted', errorDetail: 'kubeproof was shutting down.' };
  if (counts.failed > 0) return { status: 'failed' };
  if (end.kind === 'deadline') {
    return { status: 'error', errorDetail: `The audit did not finish within its deadline of ${end.seconds} s.` };
  }
  if (end.kind === 'crashed') return { status: 'error', errorDetail: end.detail };
  if (counts.error > 0) return { status: 'error' };
  if (counts.passed + counts.skipped === 0) return { status: 'error', errorDetail: 'No check produced a result.' };
  return { status: 'passed' };
}
