/** Table printers for nodes, namespaces, events, config objects and leases. */
import type { KubeObj } from '../../contracts.js';
import { ageColumn, col, nameColumn, type Printer } from './columns.js';
import { age } from './humanize.js';

// biome-ignore lint/suspicious/noExplicitAny: conditions and addresses are open JSON
type Json = any;

function nodeStatus(node: KubeObj): string {
  const ready = ((node.status?.conditions ?? []) as Json[]).find((c) => c.type === 'Ready');
  const states = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (node.spec?.unschedulable) states.push('SchedulingDisabled');
  return states.join(',');
}

function nodeRoles(node: KubeObj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: KubeObj, type: string): string {
  return ((node.status?.addresses ?? []) as Json[]).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col(
      'Internal-IP',
      'string',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'External-IP',
      'string',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    col(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    col(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  row(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      age(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, col('Status', 'string', 'The status of the namespace'), ageColumn],
  row(ns, now) {
    return [ns.metadata.name, ns.status?.phase ?? '', age(ns.metadata.creationTimestamp, now)];
  },
};

function eventSource(e: Json): string {
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 'The last time an event was observed.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'The subobject this event is about.', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      1,
    ),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    col('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
  ],
  row(e, now) {
    const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
    let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
    let count = e.count || 1;
    if (e.series) {
      last = age(e.series.lastObservedTime, now);
      count = e.series.count;
    }
    const involved = e.involvedObject ?? {};
    const target = involved.name
      ? `${String(involved.kind ?? '').toLowerCase()}/${involved.name}`
      : String(involved.kind ?? '').toLowerCase();
    return [
      last,
      e.type ?? '',
      e.reason ?? '',
      target,
      involved.fieldPath ?? '',
      eventSource(e),
      String(e.message ?? '').trim(),
      first,
      count,
      e.metadata.name,
    ];
  },
};

const dataCount = (o: Json) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length;

export const configMapPrinter: Printer = {
  columns: [nameColumn, col('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  row: (cm, now) => [cm.metadata.name, dataCount(cm), age(cm.metadata.creationTimestamp, now)],
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 'The type of secret'),
    col('Data', 'string', 'Data contains the secret data.'),
    ageColumn,
  ],
  row: (s, now) => [s.metadata.name, s.type ?? 'Opaque', dataCount(s), age(s.metadata.creationTimestamp, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [
    nameColumn,
    col(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    ageColumn,
  ],
  row: (sa, now) => [sa.metadata.name, (sa.secrets ?? []).length, age(sa.metadata.creationTimestamp, now)],
};

export const leasePrinter: Printer = {
  columns: [
    nameColumn,
    col('Holder', 'string', 'HolderIdentity contains the identity of the holder of a current lease.'),
    ageColumn,
  ],
  row: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l.metadata.creationTimestamp, now)],
};

export const defaultPrinter: Printer = {
  columns: [
    nameColumn,
    col(
      'Created At',
      'date',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
  ],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};
