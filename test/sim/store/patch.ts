/**
 * The three patch formats kubectl and client-node send: JSON merge patch (RFC 7386),
 * strategic merge patch (lists of named things merged by key, `$patch` directives) and
 * JSON patch (RFC 6902).
 */
import { badRequest, StatusError, unsupportedMediaType } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: patches operate on arbitrary JSON
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Merge keys of the list fields the Kubernetes types declare `patchStrategy: merge` on.
 * Field names are unique enough across the types we serve to look them up without a schema.
 */
const mergeKeys: Record<string, string | ((item: Json) => string)> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
  addresses: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  // Container ports are keyed by containerPort, Service ports by port.
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};
const primitiveMergeLists = new Set(['finalizers']);

function mergeKeyFor(field: string, sample: Json): string | undefined {
  const k = mergeKeys[field];
  if (typeof k === 'function') return isObject(sample) ? k(sample) : undefined;
  return k;
}

function strategicList(field: string, original: Json[], patch: Json[]): Json[] {
  if (primitiveMergeLists.has(field)) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const keyName = mergeKeyFor(field, patch.find(isObject));
  if (!keyName) return structuredClone(patch);
  let out = original.map((x) => structuredClone(x));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const directive = item.$patch;
    const idx = out.findIndex((o) => isObject(o) && o[keyName] === item[keyName]);
    if (directive === 'delete') {
      out = out.filter((o) => !(isObject(o) && o[keyName] === item[keyName]));
      continue;
    }
    if (directive === 'replace') return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => structuredClone(p));
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  let out: Record<string, Json> = isObject(target) ? { ...target } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: Json) => !(v as Json[]).includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v) && Array.isArray(out[k])) out[k] = strategicList(k, out[k], v);
    else if (Array.isArray(v)) out[k] = strategicList(k, [], v);
    else {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: Json; last: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : cur?.[p];
    if (cur === undefined)
      throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request`);
  }
  return { parent: cur, last: parts[parts.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let cur = doc;
  for (const p of pointer(path)) cur = Array.isArray(cur) ? cur[Number(p)] : cur?.[p];
  return cur;
}

function removeAt(doc: Json, path: string): void {
  const { parent, last } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else
    throw new StatusError(
      422,
      'Invalid',
      `remove operation does not apply: doc is missing path: "${path}": missing value`,
    );
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
  const parts = pointer(path);
  if (parts.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, parts);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (replace) parent[i] = structuredClone(value);
    else parent.splice(i, 0, structuredClone(value));
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) {
      throw new StatusError(
        422,
        'Invalid',
        `replace operation does not apply: doc is missing key: ${path}: missing value`,
      );
    }
    parent[last] = structuredClone(value);
  } else
    throw new StatusError(
      422,
      'Invalid',
      `add operation does not apply: doc is missing path: "${path}": missing value`,
    );
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        const v = getAt(doc, op.from);
        removeAt(doc, op.from);
        doc = addAt(doc, op.path, v, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
          throw new StatusError(422, 'Invalid', `testing value ${op.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

/** `apply` is server-side apply, approximated as a strategic merge without field ownership. */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim();
  if (ct === 'application/merge-patch+json') return 'merge';
  if (ct === 'application/strategic-merge-patch+json') return 'strategic';
  if (ct === 'application/json-patch+json') return 'json';
  if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+json') return 'apply';
  throw unsupportedMediaType(ct);
}

export function applyPatch(type: PatchType, target: Json, patch: Json): Json {
  if (type === 'json') return jsonPatch(target, patch);
  if (type === 'merge') return mergePatch(target, patch);
  if (type === 'apply' && target === undefined) return structuredClone(patch);
  return strategicMergePatch(target, patch);
}
