/**
 * Server-side printing: `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` turns a
 * list or object into a meta.k8s.io/v1 Table, which is what kubectl prints from.
 */
import type { KubeObj } from '../../contracts.js';
import type { ResourceDef } from '../../store/resources.js';
import {
  configMapPrinter,
  defaultPrinter,
  eventPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './cluster.js';
import type { Printer } from './columns.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './network.js';
import { daemonSetPrinter, deploymentPrinter, podPrinter, replicaSetPrinter } from './workloads.js';

const printers: Record<string, Printer> = {
  pods: podPrinter,
  deployments: deploymentPrinter,
  replicasets: replicaSetPrinter,
  daemonsets: daemonSetPrinter,
  services: servicePrinter,
  endpointslices: endpointSlicePrinter,
  endpoints: endpointsPrinter,
  nodes: nodePrinter,
  namespaces: namespacePrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  leases: leasePrinter,
};

/** The Accept header asks for a Table (kubectl get does; client libraries do not). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => part.includes('as=Table') && part.includes('g=meta.k8s.io') && /v=v1(;|$|\s)/.test(`${part};`));
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObj, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  def: ResourceDef,
  objects: KubeObj[],
  listMeta: Record<string, unknown>,
  include: IncludeObject,
  withHeaders = true,
): unknown {
  const printer = def.plural === 'events' && def.group === '' ? eventPrinter : (printers[def.plural] ?? defaultPrinter);
  const now = Date.now();
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta };
  if (withHeaders) table.columnDefinitions = printer.columns;
  table.rows = objects.map((obj) => {
    const row: Record<string, unknown> = { cells: printer.row(obj, now) };
    const o = rowObject(obj, include);
    if (o !== undefined) row.object = o;
    return row;
  });
  return table;
}
