import type { ListSelector } from '../cluster-access.js';
import type { Typed } from '../objects.js';

/** Whether one object matches; built once per selector. */
export type ObjectMatcher = (obj: Typed) => boolean;

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * The label selector as the API server applies it, for the forms kubeproof sends: `k=v`, `k==v`,
 * `k!=v`, `k` (exists) and `!k` (does not exist), comma-separated and all required
 * (k8s.io/apimachinery pkg/labels/selector.go: Parse, Requirement.Matches; `!=` also matches
 * an object without the label). Set-based forms (`in`, `notin`) answer undefined: the caller
 * then asks the API server itself rather than risk matching differently.
 */
function labelRequirements(selector: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    if (/\s(in|notin)\s*\(/.test(term) || term.includes('(')) return undefined;
    const ne = term.indexOf('!=');
    if (ne > 0) {
      const [k, v] = [term.slice(0, ne).trim(), term.slice(ne + 2).trim()];
      out.push((labels) => labels[k] !== v);
      continue;
    }
    const eq = term.indexOf('=');
    if (eq > 0) {
      const k = term.slice(0, eq).trim();
      const v = term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
      out.push((labels) => labels[k] === v);
      continue;
    }
    if (term.startsWith('!')) {
      const k = term.slice(1).trim();
      out.push((labels) => !(k in labels));
      continue;
    }
    if (/[<>=!\s]/.test(term)) return undefined;
    out.push((labels) => term in labels);
  }
  return out;
}

/**
 * Field selectors every resource supports (metadata.name, metadata.namespace; apiserver
 * pkg/registry/generic: DefaultClusterScopedAttr / DefaultNamespaceScopedAttr), with `=`, `==`
 * or `!=`. Any other field answers undefined (ask the API server).
 */
function fieldRequirements(selector: string): Array<(obj: Typed) => boolean> | undefined {
  const out: Array<(obj: Typed) => boolean> = [];
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) return undefined;
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = (o: Typed) => (field === 'metadata.name' ? o.metadata?.name : o.metadata?.namespace) ?? '';
    out.push(op === '!=' ? (o) => read(o) !== value : (o) => read(o) === value);
  }
  return out;
}

/**
 * The matcher of a list selector's label and field parts (the namespace is the cache's own
 * scope), or undefined when it uses a form the cache does not evaluate.
 * @example selectorMatcher({ labelSelector: 'app=web' })?.({ metadata: { labels: { app: 'web' } } }) // true
 */
export function selectorMatcher(selector: ListSelector): ObjectMatcher | undefined {
  const labels = selector.labelSelector ? labelRequirements(selector.labelSelector) : [];
  const fields = selector.fieldSelector ? fieldRequirements(selector.fieldSelector) : [];
  if (!labels || !fields) return undefined;
  return (obj) => {
    const own = obj.metadata?.labels ?? {};
    return labels.every((r) => r(own)) && fields.every((r) => r(obj));
  };
}
