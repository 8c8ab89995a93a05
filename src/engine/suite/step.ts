import { setMaxListeners } from 'node:events';
import { causeOf } from '../../checks/causes.js';
import { policyOutcome } from '../../checks/policy.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../../checks/types.js';
import { messageOf } from '../../kernel/text.js';
import { ClusterError, WATCH_INTERRUPTED } from '../../kube/cluster-access.js';

/**
 * The abort reason when a check's own deadline passes. A cancelled run (or one past its
 * deadline) aborts the check with the run's reason instead, so the two stay apart.
 */
export class CheckDeadlineExceeded extends Error {
  override readonly name = 'CheckDeadlineExceeded';
}

/**
 * Runs one check with its own deadline inside the run's signal, and turns every way it can end
 * into a CheckOutcome. One helper for every check: deadline, cancellation and "could not tell"
 * classification are not repeated in check code.
 * - our deadline, cancellation, ClusterError unreachable/unauthorized/forbidden/timeout → `error`
 * - any other exception escaping a check → `error` (a check reports cluster failures as `failed` itself)
 */
export async function runStep(
  def: CheckDefinition,
  ctx: Omit<CheckContext, 'signal'>,
  runSignal: AbortSignal,
): Promise<CheckOutcome> {
  const controller = new AbortController();
  // Every ClusterAccess call of a check listens on this signal; concurrent calls are expected.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(
    () => controller.abort(new CheckDeadlineExceeded(`${def.id} did not finish within ${def.deadlineMs} ms`)),
    def.deadlineMs,
  );
  const onRunAbort = () => controller.abort(runSignal.reason ?? new Error('run aborted'));
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener('abort', onRunAbort, { once: true });
  try {
    const outcome = await def.run({ ...ctx, signal: controller.signal });
    if (controller.signal.aborted) return abortedOutcome(def, controller.signal.reason);
    return outcome;
  } catch (err) {
    if (controller.signal.aborted) return abortedOutcome(def, controller.signal.reason);
    return errorOutcome(err);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
  }
}

/**
 * The run's abort reason (the runner aborts with `'deadline'`, `'cancel'` or `'shutdown'`): our
 * own deadline is a timeout, the others a cancellation.
 */
function abortedOutcome(def: CheckDefinition, reason: unknown): CheckOutcome {
  if (reason instanceof CheckDeadlineExceeded) {
    return {
      status: 'error',
      cause: 'timeout',
      summary: `kubeproof gave up: ${reason.message}`,
      evidence: { deadlineMs: def.deadlineMs },
      hint: 'The cluster answered too slowly for this check to conclude; a slow API server or kubelet is likely. Re-run, and look at API server latency.',
    };
  }
  if (reason === 'deadline') {
    return {
      status: 'error',
      cause: 'timeout',
      summary: 'not finished: the audit reached its deadline',
      evidence: {},
      hint: 'The audit deadline (KUBEPROOF_AUDIT_DEADLINE_SECONDS) ended the run before this check concluded: raise it, or re-run.',
    };
  }
  return {
    status: 'error',
    cause: 'cancelled',
    summary: 'not finished: the audit was cancelled',
    evidence: {},
    hint: 'Re-run the audit to get a verdict for this check.',
  };
}

const HINTS: Partial<Record<ClusterError['kind'], string>> = {
  unreachable:
    'The API server could not be reached from kubeproof: check the server URL, network path and TLS settings.',
  unauthorized: 'The API server refused the credentials: the token or client certificate is invalid or expired.',
  forbidden:
    "kubeproof's user lacks a permission this check needs: apply the manifests from GET /v1/rbac to the audit identity.",
  timeout: 'A call to the API server did not answer in time; the API server may be overloaded.',
  'too-large':
    "An answer exceeded kubeproof's response limit and was not read: the server is not behaving like a Kubernetes API server, or the cluster holds unusually large objects.",
};

/** An exception that escaped a check: kubeproof could not tell. */
export function errorOutcome(err: unknown): CheckOutcome {
  if (err instanceof ClusterError && err.admission) return policyOutcome(err.admission, 'a request kubeproof made');
  if (err instanceof ClusterError && err.reason === WATCH_INTERRUPTED) {
    return {
      status: 'error',
      cause: 'unreachable',
      summary: `could not tell: ${err.message}`,
      evidence: { error: { kind: err.kind, reason: err.reason, message: err.message } },
      hint: 'The API server answered at first, then its connections kept breaking while kubeproof waited (kubeproof re-listed and re-watched with back-off). Look at what sits between kubeproof and the API server: a load balancer or proxy with a short idle timeout, or an API server restarting; then re-run.',
    };
  }
  if (err instanceof ClusterError) {
    return {
      status: 'error',
      cause: causeOf(err),
      summary: `could not tell: ${err.message}`,
      evidence: { error: { kind: err.kind, httpStatus: err.httpStatus, reason: err.reason, message: err.message } },
      hint: HINTS[err.kind] ?? 'The API server answered in a way this check did not expect; see the evidence.',
    };
  }
  const message = messageOf(err);
  return {
    status: 'error',
    cause: 'unexpected',
    summary: `kubeproof failed while checking: ${message}`,
    evidence: { error: { message } },
    hint: 'This is a kubeproof problem rather than a cluster verdict; please report it with the evidence.',
  };
}
