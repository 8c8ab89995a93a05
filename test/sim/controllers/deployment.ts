/**
 * Deployment controller: one ReplicaSet per pod template (`<deploy>-<pod-template-hash>`),
 * a rolling update within maxSurge/maxUnavailable (`Recreate` drains the old ones first), the
 * revision annotations `kubectl rollout undo` relies on, and the status
 * `kubectl rollout status` reads: observedGeneration, replica counts, Available/Progressing.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import { podTemplateHash } from './kit/names.js';
import { controllerOf, type Json, keyOf, ownerReferenceTo, setCondition, splitKey, timestamp } from './kit/objects.js';

const source = { component: 'deployment-controller' };
const revisionAnnotation = 'deployment.kubernetes.io/revision';

export function startDeploymentController(ctx: ControllerContext): Stop {
  const { store } = ctx;
  return startLoop(ctx, {
    name: 'deployment-controller',
    watches: {
      deployments: (e) => [keyOf(e.object)],
      replicasets: (e) => {
        const owner = controllerOf(e.object);
        return owner?.kind === 'Deployment' ? [`${e.object.metadata.namespace}/${owner.name}`] : [];
      },
    },
    initialKeys: () => store.list('deployments').map(keyOf),
    sync: (key) => {
      const { namespace, name } = splitKey(key);
      const deployment = store.get('deployments', namespace, name);
      if (!deployment || deployment.metadata.deletionTimestamp) return;
      syncDeployment(ctx, deployment);
    },
  });
}

/** An int-or-percent of replicas (maxSurge rounds up, maxUnavailable down). */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return 0;
}

const specReplicas = (rs: KubeObj): number => rs.spec?.replicas ?? 0;
const availableOf = (rs: KubeObj): number => rs.status?.availableReplicas ?? 0;

/** maxSurge (rounded up) and maxUnavailable (rounded down); both 0 would deadlock, so unavailable 1. */
function rollingBounds(deployment: KubeObj, desired: number): { surge: number; unavailable: number } {
  const ru = deployment.spec.strategy?.rollingUpdate ?? {};
  const surge = resolveIntOrPercent(ru.maxSurge ?? '25%', desired, true);
  let unavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/**
 * One step of a rolling update, as pkg/controller/deployment/rolling.go takes it: the new
 * ReplicaSet grows while all pods (spec.replicas summed) stay within replicas + maxSurge
 * (NewRSNewReplicas); old ReplicaSets shrink, unhealthy pods first, while available pods stay at
 * or above replicas - maxUnavailable (reconcileOldReplicaSets, oldest first). Each change brings
 * new availability and so the next step.
 */
function rollingStep(ctx: ControllerContext, deployment: KubeObj, newRs: KubeObj, old: KubeObj[], desired: number) {
  const { surge, unavailable } = rollingBounds(deployment, desired);
  const all = () => [newRs, ...old];
  const total = () => all().reduce((n, rs) => n + specReplicas(rs), 0);

  if (specReplicas(newRs) > desired) newRs = scale(ctx, deployment, newRs, desired);
  else if (specReplicas(newRs) < desired) {
    const room = desired + surge - total();
    if (room > 0)
      newRs = scale(ctx, deployment, newRs, specReplicas(newRs) + Math.min(room, desired - specReplicas(newRs)));
  }

  const minAvailable = desired - unavailable;
  const newUnavailable = specReplicas(newRs) - availableOf(newRs);
  let budget = total() - minAvailable - newUnavailable;
  if (budget <= 0) return;
  const oldest = [...old].filter((rs) => specReplicas(rs) > 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  // cleanupUnhealthyReplicas: pods that are not available cost nothing to remove.
  for (let i = 0; i < oldest.length && budget > 0; i++) {
    const rs = oldest[i]!;
    const unhealthy = specReplicas(rs) - availableOf(rs);
    if (unhealthy <= 0) continue;
    const cut = Math.min(unhealthy, budget);
    oldest[i] = scale(ctx, deployment, rs, specReplicas(rs) - cut);
    budget -= cut;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: then available ones, down to minAvailable.
  const available = [newRs, ...oldest].reduce((n, rs) => n + availableOf(rs), 0);
  let down = available - minAvailable;
  for (const rs of oldest) {
    if (down <= 0) break;
    const cut = Math.min(specReplicas(rs), down);
    if (cut <= 0) continue;
    scale(ctx, deployment, rs, specReplicas(rs) - cut);
    down -= cut;
  }
}

function syncDeployment(ctx: ControllerContext, deployment: KubeObj): void {
  const { store } = ctx;
  const namespace = deployment.metadata.namespace!;
  const desired: number = deployment.spec.replicas ?? 1;
  const owned = () =>
    store.list('replicasets', namespace).filter((rs) => controllerOf(rs)?.uid === deployment.metadata.uid);
  const hash = podTemplateHash(deployment.spec.template);
  let all = owned();
  let newRs = all.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const old = all.filter((rs) => rs !== newRs);
  const recreate = deployment.spec.strategy?.type === 'Recreate';
  const oldPods = old.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);

  if (!newRs) {
    // A first ReplicaSet starts at full size; later ones grow within maxSurge.
    const first = old.every((rs) => specReplicas(rs) === 0);
    newRs = createReplicaSet(ctx, deployment, hash, old, recreate ? 0 : first ? desired : 0);
  } else newRs = promoteRevision(ctx, deployment, newRs, old);

  if (recreate) {
    for (const rs of old) scale(ctx, deployment, rs, 0);
    if (oldPods === 0) scale(ctx, deployment, newRs, desired);
  } else rollingStep(ctx, deployment, newRs, old, desired);

  all = owned();
  writeDeploymentStatus(ctx, deployment, all, all.find((rs) => rs.metadata.uid === newRs.metadata.uid) ?? newRs);
}

const revisionOf = (rs: KubeObj): number => Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0);

/**
 * An existing ReplicaSet that matches the template again (`kubectl rollout undo`) becomes the
 * newest revision: max(old revisions) + 1, its former number kept in
 * `deployment.kubernetes.io/revision-history` (deploymentutil.SetNewReplicaSetAnnotations), and
 * the Deployment's revision annotation follows.
 */
function promoteRevision(ctx: ControllerContext, deployment: KubeObj, newRs: KubeObj, old: KubeObj[]): KubeObj {
  const next = Math.max(0, ...old.map(revisionOf)) + 1;
  const current = revisionOf(newRs);
  let rs = newRs;
  if (current < next) {
    const fresh = ctx.store.get('replicasets', newRs.metadata.namespace, newRs.metadata.name);
    if (!fresh) return newRs;
    const annotations: Record<string, string> = {
      ...(fresh.metadata.annotations ?? {}),
      [revisionAnnotation]: String(next),
    };
    if (current > 0) {
      const history = annotations['deployment.kubernetes.io/revision-history'];
      annotations['deployment.kubernetes.io/revision-history'] = history ? `${history},${current}` : String(current);
    }
    rs = ctx.store.update('replicasets', { ...fresh, metadata: { ...fresh.metadata, annotations } });
  }
  const d = ctx.store.get('deployments', deployment.metadata.namespace, deployment.metadata.name);
  const revision = String(revisionOf(rs));
  if (d && d.metadata.annotations?.[revisionAnnotation] !== revision) {
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [revisionAnnotation]: revision };
    ctx.store.update('deployments', d);
  }
  return rs;
}

function createReplicaSet(
  ctx: ControllerContext,
  deployment: KubeObj,
  hash: string,
  old: KubeObj[],
  replicas: number,
): KubeObj {
  const revision = Math.max(0, ...old.map((rs) => Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0))) + 1;
  const template = structuredClone(deployment.spec.template ?? {});
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
  const name = `${deployment.metadata.name}-${hash}`;
  const surge = resolveIntOrPercent(
    deployment.spec.strategy?.rollingUpdate?.maxSurge,
    deployment.spec.replicas ?? 1,
    true,
  );
  const rs = ctx.store.create('replicasets', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: deployment.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
        'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + surge),
        [revisionAnnotation]: String(revision),
      },
      ownerReferences: [ownerReferenceTo(deployment)],
    },
    spec: {
      replicas: 0,
      selector: {
        ...deployment.spec.selector,
        matchLabels: { ...(deployment.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
      },
      template,
    },
  });
  const scaled = scale(ctx, deployment, rs, replicas);
  const current = ctx.store.get('deployments', deployment.metadata.namespace, deployment.metadata.name);
  if (current && current.metadata.annotations?.[revisionAnnotation] !== String(revision)) {
    current.metadata.annotations = { ...(current.metadata.annotations ?? {}), [revisionAnnotation]: String(revision) };
    ctx.store.update('deployments', current);
  }
  return scaled;
}

function scale(ctx: ControllerContext, deployment: KubeObj, rs: KubeObj, replicas: number): KubeObj {
  const current = ctx.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
  if (!current) return rs;
  const from: number = current.spec.replicas ?? 0;
  const desiredAnnotation = String(deployment.spec.replicas ?? 1);
  if (
    from === replicas &&
    current.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] === desiredAnnotation
  ) {
    return current;
  }
  current.spec.replicas = replicas;
  current.metadata.annotations = {
    ...(current.metadata.annotations ?? {}),
    'deployment.kubernetes.io/desired-replicas': desiredAnnotation,
  };
  const updated = ctx.store.update('replicasets', current);
  if (from !== replicas) {
    ctx.events.record({
      object: deployment,
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      source,
    });
  }
  return updated;
}

/** Writes a Deployment's status from its ReplicaSets (also used by the bootstrap). */
export function writeDeploymentStatus(
  ctx: Pick<ControllerContext, 'store' | 'clock'>,
  deployment: KubeObj,
  all: KubeObj[],
  newRs: KubeObj,
): void {
  const desired: number = deployment.spec.replicas ?? 1;
  const sum = (field: string) => all.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
  const replicas = sum('replicas');
  const updated = newRs.status?.replicas ?? 0;
  const ready = sum('readyReplicas');
  const available = sum('availableReplicas');
  const unavailable = Math.max(desired - available, 0);
  const maxUnavailable = resolveIntOrPercent(deployment.spec.strategy?.rollingUpdate?.maxUnavailable, desired, false);
  const complete = updated === desired && replicas === desired && available === desired;
  const now = timestamp(ctx.clock());
  const previous: Json[] = deployment.status?.conditions ?? [];

  let conditions = setCondition(
    previous,
    available >= desired - maxUnavailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    now,
  );
  const progressing = complete
    ? { reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRs.metadata.name}" has successfully progressed.` }
    : previous.length === 0
      ? { reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRs.metadata.name}"` }
      : { reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newRs.metadata.name}" is progressing.` };
  conditions = setCondition(conditions, { type: 'Progressing', status: 'True', ...progressing }, now);
  // A ReplicaSet that cannot create pods (admission denied them) surfaces as the Deployment's
  // ReplicaFailure condition (pkg/controller/deployment/progress.go, util.GetReplicaFailures).
  const failure = all
    .flatMap((rs) => rs.status?.conditions ?? [])
    .find((c: Json) => c.type === 'ReplicaFailure' && c.status === 'True');
  conditions = failure
    ? setCondition(
        conditions,
        { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message },
        now,
      )
    : conditions.filter((c) => c.type !== 'ReplicaFailure');
  conditions = conditions.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    const same = before && before.status === c.status && before.reason === c.reason && before.message === c.message;
    return {
      type: c.type,
      status: c.status,
      lastUpdateTime: same ? before.lastUpdateTime : now,
      lastTransitionTime: c.lastTransitionTime,
      reason: c.reason,
      message: c.message,
    };
  });

  // Zero counts are omitted on the wire (omitempty), as the real API server serialises them.
  const status: Json = { observedGeneration: deployment.metadata.generation ?? 1 };
  if (replicas) status.replicas = replicas;
  if (updated) status.updatedReplicas = updated;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (unavailable) status.unavailableReplicas = unavailable;
  status.conditions = conditions;

  const current = ctx.store.get('deployments', deployment.metadata.namespace, deployment.metadata.name);
  if (!current || JSON.stringify(current.status ?? {}) === JSON.stringify(status)) return;
  ctx.store.update('deployments', { ...current, status });
}
