/**
 * DaemonSet controller: one pod per eligible node, as pkg/controller/daemon does it. A node is
 * eligible when the pod template (with the tolerations every daemon pod gets) passes the
 * scheduler's node filters there — node selector/affinity and NoSchedule/NoExecute taints.
 * Each pod is pinned to its node by a required node affinity on `metadata.name` and bound by
 * the scheduler (so `scheduler-down` leaves daemon pods Pending too, as on a real cluster);
 * status counts what the pods show. Upstream: pkg/controller/daemon/daemon_controller.go,
 * pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations,
 * ReplaceDaemonSetPodNodeNameNodeAffinity, the `controller-revision-hash` and
 * `pod-template-generation` labels).
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { podTemplateHash } from './kit/names.js';
import {
  controllerOf,
  deleteIfPresent,
  isPodActive,
  isPodReady,
  isTerminating,
  type Json,
  keyOf,
  namespaceIsGoneOrTerminating,
  ownerReferenceTo,
  splitKey,
} from './kit/objects.js';
import { nodeFitFailure } from './scheduler.js';

const source = { component: 'daemonset-controller' };

/** The tolerations AddOrUpdateDaemonPodTolerations adds to every daemon pod. */
export function daemonPodTolerations(hostNetwork: boolean): Json[] {
  const exists = (key: string, effect: string) => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  return [
    exists('not-ready', 'NoExecute'),
    exists('unreachable', 'NoExecute'),
    exists('disk-pressure', 'NoSchedule'),
    exists('memory-pressure', 'NoSchedule'),
    exists('pid-pressure', 'NoSchedule'),
    exists('unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The pod template a DaemonSet's pods are made from: its own, plus the daemon tolerations and labels. */
export function daemonPodTemplate(ds: KubeObj): Json {
  const template = structuredClone(ds.spec?.template ?? {});
  template.spec ??= {};
  const own: Json[] = template.spec.tolerations ?? [];
  const added = daemonPodTolerations(Boolean(template.spec.hostNetwork)).filter(
    (t) => !own.some((o) => o.key === t.key && o.effect === t.effect),
  );
  template.spec.tolerations = [...own, ...added];
  template.metadata ??= {};
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    'controller-revision-hash': podTemplateHash(ds.spec?.template ?? {}).slice(0, 8),
    'pod-template-generation': String(ds.metadata.generation ?? 1),
  };
  return template;
}

/** Pins a daemon pod to one node the way the controller does since ScheduleDaemonSetPods. */
function pinnedTo(spec: Json, nodeName: string): Json {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return {
    ...spec,
    affinity: {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
      },
    },
  };
}

/** The node a daemon pod belongs to: its binding, or the node its affinity pins it to. */
export function targetNodeOf(pod: KubeObj): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: Json[] =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    const field = (term.matchFields ?? []).find((f: Json) => f.key === 'metadata.name' && f.operator === 'In');
    if (field?.values?.length === 1) return field.values[0];
  }
  return undefined;
}

export function eligibleNodes(ctx: Pick<ControllerContext, 'store'>, ds: KubeObj): KubeObj[] {
  const probe = { apiVersion: 'v1', kind: 'Pod', metadata: { name: '' }, spec: daemonPodTemplate(ds).spec } as KubeObj;
  return ctx.store.list('nodes').filter((node) => nodeFitFailure(probe, node) === undefined);
}

export function startDaemonSetController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const ownerKey = (pod: KubeObj): string[] => {
    const owner = controllerOf(pod);
    return owner?.kind === 'DaemonSet' ? [`${pod.metadata.namespace}/${owner.name}`] : [];
  };
  const allKeys = () => store.list('daemonsets').map(keyOf);
  return startLoop(ctx, {
    name: 'daemonset-controller',
    watches: {
      daemonsets: (e) => [keyOf(e.object)],
      pods: (e) => ownerKey(e.object),
      // A node joining, leaving or changing taints/labels changes where daemons must run.
      nodes: () => allKeys(),
    },
    initialKeys: allKeys,
    sync: (key) => {
      const { namespace, name } = splitKey(key);
      const ds = store.get('daemonsets', namespace, name);
      if (!ds || isTerminating(ds)) return;
      const owned = () =>
        store.list('pods', namespace).filter((p) => controllerOf(p)?.uid === ds.metadata.uid && isPodActive(p));
      const wanted = new Set(eligibleNodes(ctx, ds).map((n) => n.metadata.name));
      const byNode = new Map<string, KubeObj[]>();
      for (const pod of owned()) {
        const node = targetNodeOf(pod) ?? '';
        byNode.set(node, [...(byNode.get(node) ?? []), pod]);
      }
      for (const [node, pods] of byNode) {
        // Misscheduled (node no longer eligible) or duplicates: the controller deletes the extras.
        const keep = wanted.has(node) ? 1 : 0;
        for (const pod of pods.slice(keep)) deleteDaemonPod(ctx, ds, pod);
      }
      for (const node of wanted) if (!byNode.has(node)) createDaemonPod(ctx, ds, node);
      writeDaemonSetStatus(ctx, ds, wanted, owned());
    },
  });
}

function createDaemonPod(ctx: ControllerContext, ds: KubeObj, nodeName: string): void {
  const namespace = ds.metadata.namespace!;
  if (namespaceIsGoneOrTerminating(ctx.store, namespace)) return;
  const template = daemonPodTemplate(ds);
  const pod = ctx.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: '',
      generateName: `${ds.metadata.name}-`,
      namespace,
      labels: template.metadata.labels,
      ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [ownerReferenceTo(ds)],
    },
    spec: pinnedTo(template.spec, nodeName),
  });
  ctx.events.record({
    object: ds,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: `Created pod: ${pod.metadata.name}`,
    source,
  });
}

function deleteDaemonPod(ctx: ControllerContext, ds: KubeObj, pod: KubeObj): void {
  deleteIfPresent(ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name);
  ctx.events.record({
    object: ds,
    type: 'Normal',
    reason: 'SuccessfulDelete',
    message: `Deleted pod: ${pod.metadata.name}`,
    source,
  });
}

/** DaemonSetStatus as the controller writes it (zero counts omitted, as omitempty does, except the required ones). */
export function writeDaemonSetStatus(
  ctx: Pick<ControllerContext, 'store'>,
  ds: KubeObj,
  wanted: Set<string>,
  pods: KubeObj[],
): void {
  const scheduled = pods.filter((p) => p.spec?.nodeName);
  const onWanted = scheduled.filter((p) => wanted.has(p.spec.nodeName));
  const ready = onWanted.filter(isPodReady).length;
  const generation = String(ds.metadata.generation ?? 1);
  const updated = onWanted.filter((p) => p.metadata.labels?.['pod-template-generation'] === generation).length;
  const status: Json = {
    currentNumberScheduled: onWanted.length,
    desiredNumberScheduled: wanted.size,
    numberMisscheduled: scheduled.length - onWanted.length,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  if (updated) status.updatedNumberScheduled = updated;
  if (ready) status.numberAvailable = ready;
  if (wanted.size - ready > 0) status.numberUnavailable = wanted.size - ready;
  const current = ctx.store.get('daemonsets', ds.metadata.namespace, ds.metadata.name);
  if (!current || JSON.stringify(current.status ?? {}) === JSON.stringify(status)) return;
  ctx.store.update('daemonsets', { ...current, status });
}
