/**
 * Label and field selectors as the API server parses them from `labelSelector` and
 * `fieldSelector` query parameters.
 */
import type { KubeObj } from '../contracts.js';
import { badRequest } from './errors.js';

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Matcher = (obj: KubeObj) => boolean;

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseLabelTerm(term: string): LabelRequirement {
  const setMatch = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0);
    return { op: setMatch[2] as 'in' | 'notin', key: setMatch[1]!, values };
  }
  const cmp = /^([^\s!=]+)\s*(==|!=|=)\s*([^\s,]*)$/.exec(term);
  if (cmp) return { op: cmp[2] === '!=' ? 'neq' : 'eq', key: cmp[1]!, value: cmp[3]! };
  const notExists = /^!\s*([^\s!=()]+)$/.exec(term);
  if (notExists) return { op: 'notexists', key: notExists[1]! };
  if (/^[^\s!=()]+$/.test(term)) return { op: 'exists', key: term };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

function labelMatches(labels: Record<string, string>, r: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'eq':
      return has && value === r.value;
    case 'neq':
      return !has || value !== r.value;
    case 'in':
      return has && r.values.includes(value!);
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
  }
}

export function parseLabelSelector(selector: string | null | undefined): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => labelMatches(labels, r));
  };
}

/** Reads a dotted field path; missing fields read as '' as the server's field sets do. */
export function fieldValue(obj: KubeObj, path: string): string {
  // biome-ignore lint/suspicious/noExplicitAny: walking arbitrary JSON
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

export function parseFieldSelector(selector: string | null | undefined): Matcher {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([^\s!=]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    return { path: m[1]!, negate: m[2] === '!=', value: m[3]!.trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.negate);
}

/** A LabelSelector object (matchLabels + matchExpressions) as controllers and Services use. */
export function labelSelectorObjectMatcher(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}): Matcher {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({
    op: 'eq',
    key,
    value,
  }));
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ op, key: e.key, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ op: 'exists', key: e.key });
    else if (op === 'doesnotexist') reqs.push({ op: 'notexists', key: e.key });
  }
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => labelMatches(labels, r));
  };
}
