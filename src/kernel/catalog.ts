import type { GuideReference } from './guide.js';
import type { CheckGroup, RbacScope } from './vocabulary.js';

/**
 * One permission a check needs, phrased as a SelfSubjectAccessReview: resourceAttributes, or
 * nonResourceAttributes when `nonResourceURL` is set.
 * @example
 * { verb: 'create', group: 'apps', resource: 'deployments', scope: 'run' }
 * { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster', optional: true,
 *   purpose: 'the apiserver-metrics strategy' }
 */
export interface RbacNeed {
  verb: string;
  /** API group, '' for core (and for non-resource URLs). */
  group: string;
  /** Plural resource, '' for non-resource URLs. */
  resource: string;
  subresource?: string;
  /** A non-resource URL such as `/metrics` (always cluster scope, granted by a ClusterRole). */
  nonResourceURL?: string;
  /** `run`: the audit's own namespace; `kube-system`; `cluster`: cluster-scoped or all namespaces. */
  scope: RbacScope;
  /**
   * The check works without it, with weaker evidence: preflight only warns when it is missing
   * and never blocks the check for it.
   */
  optional?: boolean;
  /** What the permission is for, said to the operator (for optional ones: what it enables). */
  purpose?: string;
}

/** One check as the catalog describes it (`GET /v1/checks`). Pure data. */
export interface CatalogEntry {
  id: string;
  title: string;
  group: CheckGroup;
  component: string;
  references: readonly GuideReference[];
  prerequisites: readonly string[];
  disruptive: boolean;
  rbac: readonly RbacNeed[];
}

/** The catalog the app serves and validates selections against. */
export interface Catalog {
  list(): readonly CatalogEntry[];
}
