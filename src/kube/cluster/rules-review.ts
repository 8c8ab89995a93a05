/**
 * A SelfSubjectRulesReview's status read defensively: rules the server sent in an unexpected
 * shape are dropped (a dropped rule can only make kubeproof ask again by single review, never
 * grant more), and a status without `incomplete` counts as incomplete unless it says false.
 */
import type { NonResourceRule, ResourceRule, RulesReview } from '../cluster-access.js';

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

function resourceRule(v: unknown): ResourceRule | undefined {
  const r = record(v);
  const verbs = strings(r.verbs);
  if (!verbs) return undefined;
  const rule: ResourceRule = { verbs };
  for (const key of ['apiGroups', 'resources', 'resourceNames'] as const) {
    const list = strings(r[key]);
    if (r[key] !== undefined && !list) return undefined;
    if (list) rule[key] = list;
  }
  return rule;
}

function nonResourceRule(v: unknown): NonResourceRule | undefined {
  const r = record(v);
  const verbs = strings(r.verbs);
  const urls = strings(r.nonResourceURLs);
  return verbs && urls ? { verbs, nonResourceURLs: urls } : undefined;
}

/** The review's status as kubeproof reads it. */
export function rulesReviewOf(body: unknown): RulesReview {
  const status = record(record(body).status);
  const list = <T>(v: unknown, read: (x: unknown) => T | undefined): T[] =>
    (Array.isArray(v) ? v : []).map(read).filter((x): x is T => x !== undefined);
  const review: RulesReview = {
    resourceRules: list(status.resourceRules, resourceRule),
    nonResourceRules: list(status.nonResourceRules, nonResourceRule),
    incomplete: status.incomplete !== false,
  };
  if (typeof status.evaluationError === 'string') review.evaluationError = status.evaluationError;
  return review;
}
