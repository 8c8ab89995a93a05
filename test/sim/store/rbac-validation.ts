/**
 * Validation of rbac.authorization.k8s.io/v1 objects, with the messages of
 * pkg/apis/rbac/validation/validation.go: every rule needs verbs; a resource rule needs
 * apiGroups and resources; nonResourceURLs only in ClusterRoles and never mixed with resources;
 * a binding's roleRef names a Role or ClusterRole of this group and cannot change afterwards.
 */
import type { KubeObj } from '../contracts.js';
import type { FieldError } from './errors.js';

// biome-ignore lint/suspicious/noExplicitAny: rules are open JSON as on the wire
type Json = any;

function validateRule(rule: Json, path: string, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const has = (k: string) => Array.isArray(rule?.[k]) && rule[k].length > 0;
  if (!has('verbs'))
    errors.push({
      type: 'FieldValueRequired',
      field: `${path}.verbs`,
      detail: 'verbs must contain at least one value',
    });
  if (has('nonResourceURLs')) {
    if (namespaced)
      errors.push({
        type: 'FieldValueInvalid',
        field: `${path}.nonResourceURLs`,
        value: rule.nonResourceURLs,
        detail: 'namespaced rules cannot apply to non-resource URLs',
      });
    if (has('apiGroups') || has('resources') || has('resourceNames'))
      errors.push({
        type: 'FieldValueInvalid',
        field: `${path}.nonResourceURLs`,
        value: rule.nonResourceURLs,
        detail: 'rules cannot apply to both regular resources and non-resource URLs',
      });
    return errors;
  }
  if (!has('apiGroups'))
    errors.push({
      type: 'FieldValueRequired',
      field: `${path}.apiGroups`,
      detail: 'resource rules must supply at least one api group',
    });
  if (!has('resources'))
    errors.push({
      type: 'FieldValueRequired',
      field: `${path}.resources`,
      detail: 'resource rules must supply at least one resource',
    });
  return errors;
}

function validateBinding(obj: Json, old: Json | undefined, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const ref = obj.roleRef ?? {};
  if (ref.apiGroup !== 'rbac.authorization.k8s.io')
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.apiGroup',
      value: ref.apiGroup ?? '',
      detail: 'supported values: "rbac.authorization.k8s.io"',
    });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind))
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'roleRef.kind',
      value: ref.kind ?? '',
      detail: `supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`,
    });
  if (!ref.name) errors.push({ type: 'FieldValueRequired', field: 'roleRef.name' });
  ((obj.subjects ?? []) as Json[]).forEach((s, i) => {
    if (!['ServiceAccount', 'User', 'Group'].includes(s?.kind))
      errors.push({
        type: 'FieldValueNotSupported',
        field: `subjects[${i}].kind`,
        value: s?.kind ?? '',
        detail: 'supported values: "ServiceAccount", "User", "Group"',
      });
    if (!s?.name) errors.push({ type: 'FieldValueRequired', field: `subjects[${i}].name` });
    if (s?.kind === 'ServiceAccount' && !namespaced && !s.namespace)
      errors.push({ type: 'FieldValueRequired', field: `subjects[${i}].namespace` });
  });
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(obj.roleRef))
    errors.push({ type: 'FieldValueInvalid', field: 'roleRef', value: obj.roleRef, detail: 'cannot change roleRef' });
  return errors;
}

/** Field errors of an RBAC object (plural: roles, clusterroles, rolebindings, clusterrolebindings). */
export function validateRbacObject(plural: string, obj: KubeObj, old: KubeObj | undefined): FieldError[] {
  const namespaced = !plural.startsWith('cluster');
  if (plural.endsWith('bindings')) {
    for (const s of (obj as Json).subjects ?? [])
      if (s?.kind !== 'ServiceAccount') s.apiGroup ??= 'rbac.authorization.k8s.io';
    return validateBinding(obj, old, namespaced);
  }
  return ((obj as Json).rules ?? []).flatMap((r: Json, i: number) => validateRule(r, `rules[${i}]`, namespaced));
}
