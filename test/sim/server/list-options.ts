/**
 * What the API server refuses in a list or watch request before it reads anything:
 * - ValidateListOptions / validateWatchOptions
 *   (staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go),
 *   answered as `ListOptions.meta.k8s.io "" is invalid` (422, as the list handler wraps them with
 *   NewInvalid): resourceVersionMatch needs a resourceVersion and no continue, is Exact or
 *   NotOlderThan, Exact not with resourceVersion 0; sendInitialEvents only on watches, and then
 *   with resourceVersionMatch=NotOlderThan.
 * - Field selectors the kind does not index (400, from the scheme's field label conversion):
 *   pkg/apis/core/v1/conversion.go `field label not supported: <label>` for the core kinds that
 *   register selectable fields, runtime.DefaultMetaV1FieldSelectorConversion's
 *   `"<label>" is not a known field selector: only "metadata.name", "metadata.namespace"` for the rest.
 */
import { badRequest, type FieldError, invalid } from '../store/errors.js';
import type { ResourceDef } from '../store/resources.js';
import { parseFieldSelector } from '../store/selectors.js';
import type { RequestInfo } from './request-info.js';

const meta = ['metadata.name', 'metadata.namespace'];

/** Selectable fields per kind with its own conversion function (key: group/plural). */
const selectable: Record<string, string[]> = {
  '/pods': [
    ...meta,
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  '/nodes': ['metadata.name', 'spec.unschedulable'],
  '/namespaces': ['metadata.name', 'status.phase'],
  '/secrets': [...meta, 'type'],
  '/events': [
    ...meta,
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  'apps/replicasets': [...meta, 'status.replicas'],
};

/** Kinds whose fields are not checked here (events.k8s.io events are converted to core ones). */
const unchecked = new Set(['events.k8s.io/events']);

function fieldLabels(selector: string): string[] {
  return selector
    .split(',')
    .map((t) => /^\s*([^\s!=]+)/.exec(t)?.[1] ?? '')
    .filter((l) => l !== '');
}

function checkFieldSelector(def: ResourceDef, selector: string | null): void {
  if (!selector) return;
  parseFieldSelector(selector); // syntax first: the same 400 as before
  const key = `${def.group}/${def.plural}`;
  if (unchecked.has(key)) return;
  const own = selectable[key];
  for (const label of fieldLabels(selector)) {
    if (own && !own.includes(label)) throw badRequest(`field label not supported: ${label}`);
    if (!own && !meta.includes(label))
      throw badRequest(`"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

/** Throws what the API server answers for a list or watch it will not serve. */
export function validateListOptions(def: ResourceDef, info: RequestInfo, watch: boolean): void {
  const q = info.query;
  const match = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const cont = q.get('continue') ?? '';
  const sendInitial = q.has('sendInitialEvents');
  const errors: FieldError[] = [];
  const rvm = 'resourceVersionMatch';
  if (watch) {
    if (sendInitial && match !== 'NotOlderThan')
      errors.push(forbidden(rvm, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (match) {
      if (!sendInitial)
        errors.push(forbidden(rvm, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan')
        errors.push({
          type: 'FieldValueNotSupported',
          field: rvm,
          value: match,
          detail: 'supported values: "NotOlderThan"',
        });
      if (cont) errors.push(forbidden(rvm, 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match) {
      if (!rv) errors.push(forbidden(rvm, 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (cont) errors.push(forbidden(rvm, 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan')
        errors.push({
          type: 'FieldValueNotSupported',
          field: rvm,
          value: match,
          detail: 'supported values: "Exact", "NotOlderThan", ""',
        });
      if (match === 'Exact' && rv === '0')
        errors.push(forbidden(rvm, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (sendInitial) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errors.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errors);
  checkFieldSelector(def, q.get('fieldSelector'));
}
