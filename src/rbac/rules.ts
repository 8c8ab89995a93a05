/** Turns RBAC needs into PolicyRules: merged, deterministic, with what each optional rule enables. */
import type { RbacNeed } from '../kernel/catalog.js';

export type PolicyRule =
  | { apiGroups: string[]; resources: string[]; verbs: string[] }
  | { nonResourceURLs: string[]; verbs: string[] };

/** A need as GET /v1/rbac renders it: with the check that declares it, for the rule's comment. */
export type AttributedNeed = RbacNeed & { usedBy?: string };

export interface ExplainedRule {
  rule: PolicyRule;
  /** The `purpose` of every need merged into the rule, deduplicated. */
  purposes: string[];
  /** The checks whose needs the rule grants, deduplicated. */
  usedBy: string[];
}

const resourceOf = (n: RbacNeed) => (n.subresource ? `${n.resource}/${n.subresource}` : n.resource);

interface Merged {
  /** Sort order: resource rules by group then resource, then non-resource URLs. */
  order: [number, string, string];
  make: (verbs: string[]) => PolicyRule;
  verbs: Set<string>;
  purposes: Set<string>;
  usedBy: Set<string>;
}

function mergedEntry(n: RbacNeed): Merged {
  const url = n.nonResourceURL;
  const resource = resourceOf(n);
  return {
    order: url === undefined ? [0, n.group, resource] : [1, url, ''],
    make: (verbs) =>
      url === undefined ? { apiGroups: [n.group], resources: [resource], verbs } : { nonResourceURLs: [url], verbs },
    verbs: new Set(),
    purposes: new Set(),
    usedBy: new Set(),
  };
}

const byOrder = (a: Merged, b: Merged) =>
  a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]) || a.order[2].localeCompare(b.order[2]);

/** One rule per (group, resource[/subresource]) or per non-resource URL, verbs sorted; resources first. */
export function toRules(needs: readonly AttributedNeed[]): ExplainedRule[] {
  const merged = new Map<string, Merged>();
  for (const n of needs) {
    const key = n.nonResourceURL === undefined ? `${n.group}/${resourceOf(n)}` : `url ${n.nonResourceURL}`;
    const entry = merged.get(key) ?? mergedEntry(n);
    entry.verbs.add(n.verb);
    if (n.purpose) entry.purposes.add(n.purpose);
    if (n.usedBy) entry.usedBy.add(n.usedBy);
    merged.set(key, entry);
  }
  return [...merged.values()]
    .sort(byOrder)
    .map((e) => ({ rule: e.make([...e.verbs].sort()), purposes: [...e.purposes], usedBy: [...e.usedBy].sort() }));
}
