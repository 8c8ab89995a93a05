/** Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`) built from the resource table. */
import { apiVersionOf, groupVersions, type ResourceDef, resourceDefs } from '../store/resources.js';

function resourceEntry(d: ResourceDef) {
  const entry: Record<string, unknown> = {
    name: d.plural,
    singularName: d.singular,
    namespaced: d.namespaced,
    kind: d.kind,
    verbs: d.verbs,
  };
  if (d.shortNames) entry.shortNames = d.shortNames;
  if (d.categories) entry.categories = d.categories;
  return entry;
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const defs = resourceDefs.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const d of defs) {
    resources.push(resourceEntry(d));
    for (const s of d.subresources) {
      const sub: Record<string, unknown> = {
        name: `${d.plural}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
      };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      sub.kind = s.kind;
      sub.verbs = s.verbs;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string) {
  const versions = groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): unknown {
  const groups = [...new Set(groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupEntry) };
}

export function apiGroup(group: string): unknown | undefined {
  if (!groupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) };
}
