/**
 * A traffic check that failed while kubeproof could not put its allow NetworkPolicy into its
 * namespace (no permission, or refused), and NetworkPolicies select its pods there (a default-deny
 * a policy engine generated, say): the failure may be the policy doing its job rather than the
 * network being broken, so kubeproof could not tell — `error` with cause `policy`, naming the
 * NetworkPolicies, never `failed`. With the allow policy in place, or no policy selecting its
 * pods, the verdict stands.
 */
import { ClusterError } from '../../../kube/cluster-access.js';
import { ALLOW_POLICY } from '../../../workload/network-policy.js';
import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext, CheckOutcome } from '../../types.js';
import { callOpts } from './pods.js';

/** Names of the namespace's NetworkPolicies other than kubeproof's; undefined when they cannot be listed. */
async function policiesIn(ctx: CheckContext, namespace: string): Promise<string[] | undefined> {
  try {
    const { items } = await ctx.cluster.list('networkpolicies', { namespace }, callOpts(ctx));
    return items.map((p) => p.metadata?.name ?? '').filter((n) => n && n !== ALLOW_POLICY);
  } catch (err) {
    if (err instanceof ClusterError) return undefined;
    throw err;
  }
}

export async function unlessNetworkPolicy(
  ctx: CheckContext,
  w: WorkloadHandle,
  outcome: CheckOutcome,
): Promise<CheckOutcome> {
  const np = w.networkPolicy;
  if (outcome.status !== 'failed' || !np || np.created) return outcome;
  const policies = await policiesIn(ctx, w.namespace);
  const list = `\`kubectl get networkpolicy -n ${w.namespace}\``;
  const why =
    np.reason === 'forbidden'
      ? 'kubeproof may not create NetworkPolicies'
      : `the API server refused kubeproof's NetworkPolicy (${np.message})`;
  if (policies === undefined) {
    // Cannot see whether a policy applies: the verdict stands, the hint says where else to look.
    return {
      ...outcome,
      hint: `${outcome.hint ?? ''} ${why} and may not list them either: if a NetworkPolicy (a default-deny) selects kubeproof's pods in ${w.namespace}, it drops these calls — ${list}.`.trim(),
    };
  }
  if (policies.length === 0) return outcome;
  return {
    status: 'error',
    cause: 'policy',
    summary: `could not tell: NetworkPolicy ${policies.join(', ')} in ${w.namespace} may drop kubeproof's calls (${why}); observed: ${outcome.summary}`,
    evidence: { ...outcome.evidence, networkPolicies: policies, networkPolicy: np },
    hint:
      np.reason === 'forbidden'
        ? `Let kubeproof create its allow NetworkPolicy (grant create on networkpolicies in its run namespaces: the optional rule of GET /v1/rbac), or exempt namespaces labelled app.kubernetes.io/managed-by=kubeproof from the policy that puts ${policies.join(', ')} there. ${list}`
        : `Whatever refused kubeproof's NetworkPolicy (see the message) must let it through, or exempt namespaces labelled app.kubernetes.io/managed-by=kubeproof from the policy that puts ${policies.join(', ')} there. ${list}`,
  };
}
