/**
 * ReplicaSet controller: keeps `spec.replicas` active pods, named `<rs>-<5 chars>`, created
 * at once when one goes away (self-heal), and reports their count in status.
 */
import type { KubeObj } from '../contracts.js';
import { StatusError } from '../store/errors.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import {
  controllerOf,
  deleteIfPresent,
  isPodActive,
  isPodReady,
  isTerminating,
  keyOf,
  namespaceIsGoneOrTerminating,
  ownerReferenceTo,
  selectorMatches,
  splitKey,
  timestamp,
} from './kit/objects.js';

const source = { component: 'replicaset-controller' };

export function startReplicaSetController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const ownerKey = (pod: KubeObj): string[] => {
    const owner = controllerOf(pod);
    return owner?.kind === 'ReplicaSet' ? [`${pod.metadata.namespace}/${owner.name}`] : [];
  };
  return startLoop(ctx, {
    name: 'replicaset-controller',
    watches: {
      replicasets: (e) => [keyOf(e.object)],
      pods: (e) => ownerKey(e.object),
      // A pod that could not be created for lack of the `default` ServiceAccount is retried when it appears.
      serviceaccounts: (e) =>
        e.type === 'ADDED' ? store.list('replicasets', e.object.metadata.namespace).map(keyOf) : [],
    },
    initialKeys: () => store.list('replicasets').map(keyOf),
    sync: (key) => {
      const { namespace, name } = splitKey(key);
      const rs = store.get('replicasets', namespace, name);
      if (!rs || isTerminating(rs)) return;
      const owned = () => store.list('pods', namespace).filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
      const active = owned().filter(isPodActive);
      const diff = (rs.spec.replicas ?? 1) - active.length;
      if (diff > 0) createPods(ctx, rs, diff);
      if (diff < 0) deletePods(ctx, rs, pickVictims(active, -diff));
      writeReplicaSetStatus(ctx, rs, owned().filter(isPodActive));
    },
  });
}

function createPods(ctx: ControllerContext, rs: KubeObj, count: number): void {
  const namespace = rs.metadata.namespace!;
  // The NamespaceLifecycle admission plugin refuses new pods in a namespace being deleted.
  if (namespaceIsGoneOrTerminating(ctx.store, namespace)) return;
  const template = rs.spec.template ?? {};
  const serviceAccount = template.spec?.serviceAccountName ?? template.spec?.serviceAccount ?? 'default';
  if (!ctx.store.get('serviceaccounts', namespace, serviceAccount)) {
    ctx.events.record({
      object: rs,
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: pods "${rs.metadata.name}-" is forbidden: error looking up service account ${namespace}/${serviceAccount}: serviceaccount "${serviceAccount}" not found`,
      source,
    });
    return;
  }
  for (let i = 0; i < count; i++) {
    const pod = createOrReport(ctx, rs, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${rs.metadata.name}-`,
        namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [ownerReferenceTo(rs)],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    if (!pod) return;
    ctx.events.record({
      object: rs,
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${pod.metadata.name}`,
      source,
    });
  }
}

/**
 * Creates a pod through admission; a denial (Pod Security, a webhook, a quota, …) becomes the
 * controller's `FailedCreate` event `Error creating: <message>` and the ReplicaSet's
 * `ReplicaFailure` condition, as pkg/controller/replicaset does (no pod appears).
 */
function createOrReport(ctx: ControllerContext, rs: KubeObj, pod: KubeObj): KubeObj | undefined {
  try {
    const created = ctx.store.create('pods', pod);
    setReplicaFailure(ctx, rs, undefined);
    return created;
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    ctx.events.record({
      object: rs,
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: ${err.message}`,
      source,
    });
    setReplicaFailure(ctx, rs, err.message);
    return undefined;
  }
}

function setReplicaFailure(ctx: ControllerContext, rs: KubeObj, message: string | undefined): void {
  const current = ctx.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
  if (!current) return;
  const others = (current.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'ReplicaFailure');
  const had = (current.status?.conditions ?? []).some((c: { type: string }) => c.type === 'ReplicaFailure');
  if (message === undefined && !had) return;
  const conditions =
    message === undefined
      ? others
      : [
          ...others,
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message,
            lastTransitionTime: timestamp(ctx.clock()),
          },
        ];
  ctx.store.update('replicasets', { ...current, status: { ...(current.status ?? {}), conditions } });
}

/** The pods the real controller deletes first: unscheduled, then pending, then not ready, then the youngest. */
function pickVictims(pods: KubeObj[], count: number): KubeObj[] {
  const rank = (p: KubeObj) => [
    p.spec?.nodeName ? 1 : 0,
    p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2,
    isPodReady(p) ? 1 : 0,
  ];
  return [...pods]
    .sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
      return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
    })
    .slice(0, count);
}

function deletePods(ctx: ControllerContext, rs: KubeObj, pods: KubeObj[]): void {
  for (const pod of pods) {
    deleteIfPresent(ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name);
    ctx.events.record({
      object: rs,
      type: 'Normal',
      reason: 'SuccessfulDelete',
      message: `Deleted pod: ${pod.metadata.name}`,
      source,
    });
  }
}

/** Writes a ReplicaSet's status from its active pods (also used by the bootstrap). */
export function writeReplicaSetStatus(ctx: Pick<ControllerContext, 'store'>, rs: KubeObj, active: KubeObj[]): void {
  const ready = active.filter(isPodReady).length;
  const labelled = active.filter((p) => selectorMatches(rs.spec.selector, p)).length;
  const status: Record<string, unknown> = { replicas: active.length };
  // Zero counts are omitted on the wire (omitempty), except replicas.
  if (labelled) status.fullyLabeledReplicas = labelled;
  if (ready) status.readyReplicas = ready;
  if (ready) status.availableReplicas = ready;
  status.observedGeneration = rs.metadata.generation ?? 1;
  const current = ctx.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
  // Conditions (ReplicaFailure) are set where pod creation fails; counting pods keeps them.
  if (current?.status?.conditions?.length) status.conditions = current.status.conditions;
  if (!current || JSON.stringify(current.status ?? {}) === JSON.stringify(status)) return;
  ctx.store.update('replicasets', { ...current, status });
}
