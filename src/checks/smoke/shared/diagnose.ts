import type { KubeEvent } from '../../../kube/objects.js';
import type { CheckContext } from '../../types.js';
import { callOpts, type PodView, podView } from './pods.js';

export interface EventView {
  type?: string;
  reason?: string;
  object: string;
  message?: string;
  count?: number;
}

/** The evidence view of an Event, core/v1 or events.k8s.io/v1 alike. */
export function eventView(e: KubeEvent): EventView {
  return {
    type: e.type,
    reason: e.reason,
    object: `${e.involvedObject?.kind ?? e.regarding?.kind ?? ''}/${e.involvedObject?.name ?? e.regarding?.name ?? ''}`,
    message: e.message ?? e.note,
    count: e.count,
  };
}

/**
 * Pods and events in the run's namespace, for evidence. The pods come from the run's cache; the
 * events are read only when `withEvents` (the check did not converge and they explain why), so a
 * passing check costs the API server nothing more.
 */
export async function namespaceSnapshot(
  ctx: CheckContext,
  namespace: string,
  labelSelector: string | undefined,
  withEvents: boolean,
) {
  const opts = callOpts(ctx);
  const noEvents = { items: [] as KubeEvent[] };
  const [pods, events] = await Promise.all([
    ctx.cluster.list('pods', labelSelector ? { namespace, labelSelector } : { namespace }, opts),
    withEvents ? ctx.cluster.list('events', { namespace }, opts).catch(() => noEvents) : noEvents,
  ]);
  return { pods: pods.items.map(podView), events: events.items.map(eventView) };
}

export interface Diagnosis {
  finding: string;
  hint: string;
}

/**
 * Reads pods and events the way an operator would after `kubectl describe`, and names the
 * component most likely at fault (Kubernetes The Hard Way's troubleshooting, docs/guide.md).
 */
export function diagnosePods(pods: readonly PodView[], events: readonly EventView[]): Diagnosis | undefined {
  const sandbox = events.find((e) => e.reason === 'FailedCreatePodSandBox');
  if (sandbox) {
    const pod = pods.find((p) => sandbox.object.endsWith(`/${p.name}`));
    return {
      finding: `pods stuck in ContainerCreating: FailedCreatePodSandBox${pod?.node ? ` on ${pod.node}` : ''}: ${sandbox.message ?? ''}`,
      hint: `The CNI plugin failed to set up the pod network${pod?.node ? ` on ${pod.node}` : ''}: check /etc/cni/net.d and the CNI binaries/daemon on that node (article 14).`,
    };
  }
  const unschedulable = events.find((e) => e.reason === 'FailedScheduling');
  if (unschedulable) {
    return {
      finding: `pods Pending: ${unschedulable.message ?? 'FailedScheduling'}`,
      hint: 'No node fits the pods: check `kubectl get nodes` for NotReady or cordoned nodes, taints, and free CPU/memory (article 8 for the scheduler).',
    };
  }
  const pendingNoNode = pods.filter((p) => p.phase === 'Pending' && !p.node);
  if (pendingNoNode.length > 0) {
    return {
      finding: `${pendingNoNode.length} pod(s) Pending with no node assigned and no scheduling events: the scheduler is not acting`,
      hint: 'kube-scheduler is not running or cannot reach the API server: check its process/static pod and its logs (article 8).',
    };
  }
  const backoff = events.find((e) => e.reason === 'BackOff' || e.reason === 'Failed');
  if (backoff) {
    return {
      finding: `containers failing: ${backoff.message ?? backoff.reason}`,
      hint: 'The kubelet could not start the container: check the image name/registry mirror and the container runtime on that node (articles 10, 11).',
    };
  }
  const creating = pods.filter((p) => p.reasons.includes('ContainerCreating'));
  if (creating.length > 0) {
    return {
      finding: `${creating.length} pod(s) stuck in ContainerCreating`,
      hint: 'The kubelet and container runtime did not start the containers: check containerd and the CNI on those nodes (articles 10, 11, 14).',
    };
  }
  return undefined;
}
