/**
 * kube-scheduler (`default-scheduler`): binds each pending pod to a node that passes the
 * filters (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit — in that order,
 * the first failure per node counted as in the real FitError message), choosing among them as
 * the default profile scores (scheduler-scoring.ts: PodTopologySpread's system defaults,
 * least-allocated NodeResourcesFit, TaintToleration, NodeAffinity). Unschedulable pods are
 * retried when a node changes in a way that matters for scheduling, not on every heartbeat.
 */
import type { KubeObj } from '../contracts.js';
import type { ControllerContext, Stop } from './kit/context.js';
import { startLoop } from './kit/loop.js';
import {
  controllerOf,
  isPodActive,
  type Json,
  keyOf,
  setCondition,
  splitKey,
  timestamp,
  tolerates,
} from './kit/objects.js';
import { bestNode, insufficientResources } from './scheduler-scoring.js';

const source = { component: 'default-scheduler' };

export function startScheduler(ctx: ControllerContext): Stop {
  const { store } = ctx;
  const waiting = new Set<string>();
  const nodeFingerprints = new Map<string, string>();
  const wantsScheduling = (pod: KubeObj) =>
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    isPodActive(pod) &&
    (pod.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler';

  return startLoop(ctx, {
    name: 'default-scheduler',
    watches: {
      pods: (e) => {
        if (e.type === 'DELETED') {
          waiting.delete(keyOf(e.object));
          return [];
        }
        return wantsScheduling(e.object) ? [keyOf(e.object)] : [];
      },
      nodes: (e) => {
        const fingerprint = e.type === 'DELETED' ? '' : schedulingFingerprint(e.object);
        if (nodeFingerprints.get(e.object.metadata.name) === fingerprint) return [];
        nodeFingerprints.set(e.object.metadata.name, fingerprint);
        return [...waiting];
      },
    },
    initialKeys: () => {
      for (const node of store.list('nodes')) nodeFingerprints.set(node.metadata.name, schedulingFingerprint(node));
      return store.list('pods').filter(wantsScheduling).map(keyOf);
    },
    sync: (key) => {
      const { namespace, name } = splitKey(key);
      const pod = store.get('pods', namespace, name);
      if (!pod || !wantsScheduling(pod)) {
        waiting.delete(key);
        return;
      }
      const nodes = store.list('nodes');
      const owners = (uid: string) => ownerByUid(ctx, pod, uid);
      const result = findNode(pod, nodes, store.list('pods'), owners, ctx.faults.has('scheduler-binpack'));
      if ('node' in result) {
        waiting.delete(key);
        bind(ctx, pod, result.node);
      } else {
        waiting.add(key);
        reportUnschedulable(ctx, pod, result.message);
      }
    },
  });
}

/** What a node change must touch for a waiting pod to be worth another try. */
function schedulingFingerprint(node: KubeObj): string {
  return JSON.stringify([node.metadata.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable]);
}

type FitResult = { node: KubeObj } | { message: string };

/** The ReplicaSet (or other controller) a pod names as its owner, for its selector. */
function ownerByUid(ctx: ControllerContext, pod: KubeObj, uid: string): KubeObj | undefined {
  const ref = controllerOf(pod);
  if (!ref || ref.uid !== uid) return undefined;
  const resource = {
    ReplicaSet: 'replicasets',
    StatefulSet: 'statefulsets',
    ReplicationController: 'replicationcontrollers',
  }[ref.kind];
  if (!resource) return undefined;
  try {
    return ctx.store.get(resource, pod.metadata.namespace, ref.name);
  } catch {
    return undefined;
  }
}

/** Why a node does not fit a pod (the filters the DaemonSet controller also runs), or undefined. */
export function nodeFitFailure(pod: KubeObj, node: KubeObj): string | undefined {
  const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  if (node.spec?.unschedulable && !tolerates(pod, unschedulableTaint)) return 'node(s) were unschedulable';
  const untolerated = (node.spec?.taints ?? []).find(
    (t: Json) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t),
  );
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  if (!matchesNodeSelection(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

export function findNode(
  pod: KubeObj,
  nodes: KubeObj[],
  pods: KubeObj[],
  owners: (uid: string) => KubeObj | undefined = () => undefined,
  binpack = false,
): FitResult {
  if (nodes.length === 0) return { message: 'no nodes available to schedule pods' };
  const reasons = new Map<string, number>();
  const feasible: KubeObj[] = [];
  for (const node of nodes) {
    const failure = nodeFitFailure(pod, node) ?? insufficientResources(pod, node, pods);
    if (failure) reasons.set(failure, (reasons.get(failure) ?? 0) + 1);
    else feasible.push(node);
  }
  if (feasible.length === 0) return { message: fitErrorMessage(nodes.length, reasons) };
  return { node: bestNode(pod, feasible, nodes, pods, owners, binpack) };
}

/** framework.FitError.Error(): reasons as "<count> <reason>", sorted as strings, then the preemption verdict. */
export function fitErrorMessage(nodeCount: number, reasons: Map<string, number>): string {
  const histogram = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return (
    `0/${nodeCount} nodes are available: ${histogram.join(', ')}. ` +
    `preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`
  );
}

function matchesNodeSelection(pod: KubeObj, node: KubeObj): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const terms: Json[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  const requirementHolds = (r: Json, values: Record<string, string>) => {
    const has = Object.hasOwn(values, r.key);
    const value = values[r.key];
    switch (r.operator) {
      case 'In':
        return has && (r.values ?? []).includes(value);
      case 'NotIn':
        return !has || !(r.values ?? []).includes(value);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Gt':
        return has && Number(value) > Number(r.values?.[0]);
      case 'Lt':
        return has && Number(value) < Number(r.values?.[0]);
      default:
        return false;
    }
  };
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((r: Json) => requirementHolds(r, labels)) &&
      (term.matchFields ?? []).every((r: Json) => requirementHolds(r, fields)),
  );
}

function bind(ctx: ControllerContext, pod: KubeObj, node: KubeObj): void {
  const now = timestamp(ctx.clock());
  pod.spec.nodeName = node.metadata.name;
  pod.status ??= {};
  // The binding replaces an earlier Unschedulable condition (and its reason/message) whole.
  pod.status.conditions = setCondition(
    pod.status.conditions ?? [],
    { type: 'PodScheduled', status: 'True', lastProbeTime: null },
    now,
  );
  ctx.store.update('pods', pod);
  ctx.events.record({
    object: pod,
    type: 'Normal',
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
    source,
  });
}

function reportUnschedulable(ctx: ControllerContext, pod: KubeObj, message: string): void {
  ctx.events.record({ object: pod, type: 'Warning', reason: 'FailedScheduling', message, source });
  const now = timestamp(ctx.clock());
  const conditions = setCondition(
    pod.status?.conditions ?? [],
    { type: 'PodScheduled', status: 'False', lastProbeTime: null, reason: 'Unschedulable', message },
    now,
  );
  if (JSON.stringify(conditions) === JSON.stringify(pod.status?.conditions ?? [])) return;
  ctx.store.update('pods', { ...pod, status: { ...(pod.status ?? {}), conditions } });
}
