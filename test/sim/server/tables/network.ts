/** Table printers for services, endpoints and endpointslices. */
import { ageColumn, col, nameColumn, type Printer } from './columns.js';
import { age, firstThree, formatLabels } from './humanize.js';

// biome-ignore lint/suspicious/noExplicitAny: ports and endpoints are open JSON
type Json = any;

function externalIp(svc: Json): string {
  const external: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'LoadBalancer': {
      const ingress: Json[] = svc.status?.loadBalancer?.ingress ?? [];
      const ips = [...ingress.map((i) => i.ip || i.hostname), ...external];
      return ips.length > 0 ? ips.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName;
    default:
      return external.length > 0 ? external.join(',') : '<none>';
  }
}

function servicePorts(svc: Json): string {
  const ports: Json[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row(svc, now) {
    const clusterIp = svc.spec?.clusterIP || '<none>';
    const selector =
      svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 ? formatLabels(svc.spec.selector) : '<none>';
    return [
      svc.metadata.name,
      svc.spec?.type ?? 'ClusterIP',
      clusterIp,
      externalIp(svc),
      servicePorts(svc),
      age(svc.metadata.creationTimestamp, now),
      selector,
    ];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  row(slice, now) {
    const ports: Json[] = slice.ports ?? [];
    const portText =
      ports.length === 0
        ? '<unset>'
        : ports.map((p) => (p.port === undefined || p.port === null ? '<unset>' : String(p.port))).join(',');
    const addresses = ((slice.endpoints ?? []) as Json[]).flatMap((e) => e.addresses ?? []) as string[];
    const endpointText = addresses.length === 0 ? '<unset>' : firstThree(addresses);
    return [slice.metadata.name, slice.addressType, portText, endpointText, age(slice.metadata.creationTimestamp, now)];
  },
};

export const endpointsPrinter: Printer = {
  columns: [nameColumn, col('Endpoints', 'string', 'Endpoints is the list of endpoints.'), ageColumn],
  row(ep, now) {
    const pairs: string[] = [];
    for (const subset of (ep.subsets ?? []) as Json[]) {
      for (const a of subset.addresses ?? []) {
        const ports: Json[] = subset.ports ?? [];
        if (ports.length === 0) pairs.push(a.ip);
        for (const p of ports) pairs.push(`${a.ip}:${p.port}`);
      }
    }
    return [ep.metadata.name, firstThree(pairs), age(ep.metadata.creationTimestamp, now)];
  },
};
