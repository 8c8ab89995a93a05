/**
 * The cause of an `error` verdict from what was thrown. The list of causes (and of skip reasons)
 * is `CHECK_CAUSES` / `SKIP_REASONS` in src/kernel/vocabulary.ts.
 */
import type { CheckCause } from '../kernel/vocabulary.js';
import { ClusterError, type ClusterErrorKind } from '../kube/cluster-access.js';

const CAUSE_OF_KIND: Record<ClusterErrorKind, CheckCause> = {
  unreachable: 'unreachable',
  unauthorized: 'credentials',
  forbidden: 'permission',
  policy: 'policy',
  timeout: 'timeout',
  aborted: 'cancelled',
  // Our own limit: an answer kubeproof would not read, not a verdict on the cluster.
  'too-large': 'unexpected',
  'not-found': 'unexpected',
  conflict: 'unexpected',
  invalid: 'unexpected',
  server: 'unexpected',
};

/** The cause of an `error` verdict from what was thrown: a ClusterError's kind, else `unexpected`. */
export function causeOf(err: unknown): CheckCause {
  return err instanceof ClusterError ? CAUSE_OF_KIND[err.kind] : 'unexpected';
}
