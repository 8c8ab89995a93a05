/**
 * EndpointSlice controller: for every Service with a selector, one slice `<svc>-<5 chars>`
 * listing the selected pods that have an IP, with ready/serving/terminating conditions,
 * node and targetRef; ports are the Service's targetPorts resolved against the pods'
 * container ports. Changes are published endpointDelayMs after they happen (the real
 * controller batches them too).
 */

import type { KubeObj } from '../contracts.js';
import { familyOf } from '../network/ip.js';
import { randomSuffix } from '../store/index.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import {
  isPodReady,
  isPodTerminal,
  isTerminating,
  type Json,
  keyOf,
  mapSelectorMatches,
  namespaceIsGoneOrTerminating,
  ownerReferenceTo,
  splitKey,
  timestamp,
} from './kit/objects.js';

const managedBy = 'endpointslice-controller.k8s.io';
const serviceNameLabel = 'kubernetes.io/service-name';

export function startEndpointSliceController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const servicesSelecting = (pod: KubeObj): string[] =>
    store
      .list('services', pod.metadata.namespace)
      .filter((svc) => svc.spec?.selector && mapSelectorMatches(svc.spec.selector, pod))
      .map(keyOf);
  return startLoop(ctx, {
    name: 'endpointslice-controller',
    watches: {
      services: (e) => [keyOf(e.object)],
      pods: (e) => servicesSelecting(e.object),
      // A slice someone else changed or deleted is put back, as the real controller does.
      endpointslices: (e) => {
        const svc = e.object.metadata.labels?.[serviceNameLabel];
        return e.object.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy && svc
          ? [`${e.object.metadata.namespace}/${svc}`]
          : [];
      },
    },
    initialKeys: () => store.list('services').map(keyOf),
    // Debounced: every key waits endpointDelayMs after its first change, then syncs once.
    sync: (key, loop) => {
      loop.timers.ensure(`publish:${key}`, ctx.latencies.endpointDelayMs, () => {
        try {
          publishEndpointSlice(ctx, key);
        } catch {
          loop.queue.addAfter(key, 50);
        }
      });
    },
  });
}

/** Brings the Service `<namespace>/<name>`'s slice up to date now (also used by the bootstrap). */
export function publishEndpointSlice(ctx: Pick<ControllerContext, 'store' | 'clock'>, key: string): void {
  const { store } = ctx;
  const { namespace, name } = splitKey(key);
  const svc = store.get('services', namespace, name);
  const slices = store
    .list('endpointslices', namespace)
    .filter(
      (s) =>
        s.metadata.labels?.[serviceNameLabel] === name &&
        s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy,
    );
  if (!svc?.spec?.selector || isTerminating(svc)) {
    // Slices of a deleted Service go with it through their ownerReference (garbage collector).
    return;
  }
  const pods = store
    .list('pods', namespace)
    .filter((p) => mapSelectorMatches(svc.spec.selector, p) && p.status?.podIP && !isPodTerminal(p));
  const labels = {
    ...(svc.metadata.labels ?? {}),
    'endpointslice.kubernetes.io/managed-by': managedBy,
    [serviceNameLabel]: name,
  };
  // One slice per address family the Service has (dual-stack: IPv4 and IPv6), each holding the
  // pods' addresses of that family (pkg/controller/endpointslice reconciler, per addressType).
  const families: string[] = svc.spec.ipFamilies ?? [
    familyOf(pods[0]?.status?.podIP ?? svc.spec?.clusterIP ?? '0.0.0.0'),
  ];
  for (const s of slices.filter((x) => !families.includes(x.addressType))) {
    store.delete('endpointslices', namespace, s.metadata.name);
  }
  for (const family of families) {
    const [current, ...extra] = slices.filter((x) => x.addressType === family);
    for (const s of extra) store.delete('endpointslices', namespace, s.metadata.name);
    const withFamily = pods.filter((p) => addressOf(p, family));
    const desired = {
      addressType: family,
      endpoints: withFamily.map((p) => endpointFor(p, addressOf(p, family)!)),
      ports: portsFor(svc, withFamily),
    };
    if (!current) {
      if (namespaceIsGoneOrTerminating(store, namespace!)) return;
      store.create('endpointslices', {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${name}-${randomSuffix()}`,
          namespace,
          labels,
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': timestamp(ctx.clock()) },
          ownerReferences: [ownerReferenceTo(svc)],
        },
        ...desired,
      });
      continue;
    }
    const same =
      JSON.stringify([current.addressType, current.endpoints ?? [], current.ports ?? [], current.metadata.labels]) ===
      JSON.stringify([desired.addressType, desired.endpoints, desired.ports, labels]);
    if (same) continue;
    store.update('endpointslices', { ...current, ...desired, metadata: { ...current.metadata, labels } });
  }
}

/** A pod's address of one family (status.podIPs; podIP alone on single-stack clusters). */
function addressOf(pod: KubeObj, family: string): string | undefined {
  const ips: string[] = (pod.status?.podIPs ?? [{ ip: pod.status?.podIP }]).map((p: Json) => p.ip).filter(Boolean);
  return ips.find((ip) => familyOf(ip) === family);
}

function endpointFor(pod: KubeObj, address: string): Json {
  const terminating = isTerminating(pod);
  const ready = isPodReady(pod);
  const endpoint: Json = {
    addresses: [address],
    conditions: { ready: ready && !terminating, serving: ready, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  return endpoint;
}

/** The Service's ports as the pods serve them: a named targetPort is looked up in the containers. */
function portsFor(svc: KubeObj, pods: KubeObj[]): Json[] {
  return (svc.spec.ports ?? []).flatMap((p: Json) => {
    const target = p.targetPort ?? p.port;
    let port: number | undefined =
      typeof target === 'number' ? target : Number.isInteger(Number(target)) ? Number(target) : undefined;
    if (port === undefined) {
      for (const pod of pods) {
        for (const c of pod.spec?.containers ?? []) {
          const found = (c.ports ?? []).find(
            (cp: Json) => cp.name === target && (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
          );
          if (found) port = found.containerPort;
        }
        if (port !== undefined) break;
      }
    }
    if (port === undefined) return [];
    const out: Json = { name: p.name ?? '', port, protocol: p.protocol ?? 'TCP' };
    if (p.appProtocol) out.appProtocol = p.appProtocol;
    return [out];
  });
}
