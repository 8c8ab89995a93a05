/** Column definitions and the printer type shared by the per-resource table printers. */
import type { KubeObj } from '../../contracts.js';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: Column[];
  row(obj: KubeObj, now: number): unknown[];
}

/** Short column constructor: `col('Ready', 'string', 'The number of...')`, wide columns with priority 1. */
export function col(name: string, type: Column['type'], description: string, priority = 0, format = ''): Column {
  return { name, type, format, description, priority };
}

export const nameColumn = col(
  'Name',
  'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);
export const ageColumn = col(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);
