/**
 * How preflight.api asks the API server about the plan's permissions, with as few requests as
 * the answers allow: one SelfSubjectRulesReview per namespace involved (the run's namespace,
 * kube-system), and a SelfSubjectAccessReview only for what a rules review cannot answer — a
 * permission a review marked `incomplete` does not list (an authorizer that cannot list its
 * rules, e.g. a webhook), or a namespace whose rules review was refused. Non-resource URLs
 * (`/metrics`) are answered by the run namespace's review: its `nonResourceRules` are the
 * identity's cluster-wide ones, since only ClusterRoleBindings grant URLs (RBAC's RulesFor, as
 * pkg/registry/authorization/selfsubjectrulesreview/rest.go serves it).
 * Rules are additive: a permission a rule lists is granted even when the list is incomplete
 * (authorization.k8s.io/v1 SubjectRulesReviewStatus).
 */
import type { RbacNeed } from '../../kernel/catalog.js';
import { type CallOptions, ClusterError, isInconclusive, type RulesReview } from '../../kube/cluster-access.js';
import type { CheckContext } from '../types.js';
import { accessQuestion } from './needs.js';
import { nonResourceRuleAllows, resourceRuleAllows } from './rule-match.js';

/** What the review came to: the denied permission keys, or the error that made the API unusable. */
export type Review = { denied: Set<string>; reviewErrors: string[] } | { unusable: ClusterError };

/**
 * The namespace whose rules review answers a resource need: kube-system for what the checks read
 * there, the run's namespace otherwise. Cluster-scoped needs (nodes, pods in every namespace) are
 * answered by the run namespace's review too: that namespace is new, named after the run, so no
 * RoleBinding can exist in it and the rules it lists are exactly the cluster-wide grants
 * (ClusterRoleBindings), which are what a cluster-scoped request is authorized by.
 */
const reviewNamespace = (n: RbacNeed, runNamespace: string): string =>
  n.scope === 'kube-system' ? 'kube-system' : runNamespace;

/** Whether a rule the review lists grants the need. */
const reviewGrants = (review: RulesReview, n: RbacNeed): boolean =>
  n.nonResourceURL !== undefined
    ? review.nonResourceRules.some((rule) => nonResourceRuleAllows(rule, n))
    : review.resourceRules.some((rule) => resourceRuleAllows(rule, n));

/** The API server could not be used at all: no point asking anything else. */
const unusableError = (err: unknown): err is ClusterError =>
  err instanceof ClusterError && (err.kind === 'unauthorized' || err.kind === 'unreachable');

/** A rules review the server refused or does not serve: its needs are asked one by one. */
async function rulesReviewOrNone(ctx: CheckContext, namespace: string, opts: CallOptions) {
  try {
    return await ctx.cluster.rulesReview(namespace, opts);
  } catch (err) {
    if (unusableError(err) || (err instanceof ClusterError && (err.kind === 'timeout' || err.kind === 'aborted')))
      throw err;
    if (!(err instanceof ClusterError)) throw err;
    return undefined;
  }
}

/** Asks about every distinct permission (optional ones too); `needs` is keyed by permissionKey. */
export async function reviewPermissions(
  ctx: CheckContext,
  needs: ReadonlyMap<string, RbacNeed>,
  runNamespace: string,
): Promise<Review> {
  const opts = { signal: ctx.signal, timeoutMs: 10_000 };
  const denied = new Set<string>();
  const ask = async ([key, n]: [string, RbacNeed]) => {
    const answer = await ctx.cluster.canI(accessQuestion(n, runNamespace), opts);
    if (!answer.allowed) denied.add(key);
  };
  const all = [...needs.entries()];
  const namespaces = [...new Set(all.map(([, n]) => reviewNamespace(n, runNamespace)))];
  try {
    const reviews = await Promise.all(
      namespaces.map(async (ns) => [ns, await rulesReviewOrNone(ctx, ns, opts)] as const),
    );
    const byNamespace = new Map<string, RulesReview | undefined>(reviews);
    const unanswered: Array<[string, RbacNeed]> = [];
    for (const [key, n] of all) {
      const review = byNamespace.get(reviewNamespace(n, runNamespace));
      if (review && reviewGrants(review, n)) continue;
      if (review && !review.incomplete) denied.add(key);
      else unanswered.push([key, n]);
    }
    await Promise.all(unanswered.map(ask));
  } catch (err) {
    if (unusableError(err)) return { unusable: err };
    if (!isInconclusive(err) && !(err instanceof ClusterError)) throw err;
    // A review itself refused: permissions unknown; checks run and report what they meet.
    return { denied, reviewErrors: [err.message] };
  }
  return { denied, reviewErrors: [] };
}
