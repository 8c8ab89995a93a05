import { type CallOptions, type ClusterAccess, ClusterError } from '../kube/cluster-access.js';
import { RUN_ID_LABEL, runIdLabelValue } from './names.js';

export type NamespaceOwner = 'this-run' | 'other-run' | 'absent';

/**
 * Whose the namespace is, by its run-id label. Namespace names carry only a short prefix of
 * the run id, so two audits of one cluster could in principle draw the same name; the label
 * (the whole id) is what tells them apart.
 */
export async function ownerOf(
  cluster: ClusterAccess,
  namespace: string,
  runId: string,
  opts: CallOptions,
): Promise<NamespaceOwner> {
  try {
    const ns = await cluster.get('namespaces', namespace, undefined, opts);
    return ns.metadata?.labels?.[RUN_ID_LABEL] === runIdLabelValue(runId) ? 'this-run' : 'other-run';
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'not-found') return 'absent';
    throw err;
  }
}
