import { ClusterError, isInconclusive } from '../../../kube/cluster-access.js';
import type { CheckOutcome } from '../../types.js';

const KUBELET_PATH_HINT =
  "The API server's calls to the kubelet are refused or broken: check the ClusterRole/Binding that lets the API server's client identity use nodes/proxy (article 9), the kubelet's webhook authorization and client CA (article 11), and that the kubelet is reachable on port 10250.";

/**
 * A failure on the api-server → kubelet path (logs, exec, port-forward) is a cluster verdict;
 * our own missing permission or an unreachable API server is not, and is rethrown (→ `error`).
 */
export function kubeletPathFailure(err: unknown, what: string, evidence: Record<string, unknown>): CheckOutcome {
  if (isInconclusive(err) || !(err instanceof ClusterError)) throw err;
  return {
    status: 'failed',
    summary: `${what} refused: ${err.message}`,
    evidence: { ...evidence, error: { httpStatus: err.httpStatus, reason: err.reason, message: err.message } },
    hint: KUBELET_PATH_HINT,
  };
}

export const WRONG_ANSWER_HINT =
  'The path works but answered something unexpected: check the pod named in the evidence and its container.';
