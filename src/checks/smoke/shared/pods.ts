import type { Condition, ContainerStatus, Node, Pod } from '../../../kube/objects.js';
import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext } from '../../types.js';

/** What evidence says about a pod: enough to find it with `kubectl get pods -o wide`. */
export interface PodView {
  name: string;
  node?: string;
  /** The primary pod IP (`status.podIP`). */
  ip?: string;
  /** Every pod IP (`status.podIPs`): one per family on a dual-stack cluster, primary first. */
  ips: string[];
  phase?: string;
  ready: boolean;
  restarts: number;
  /** Waiting/terminated reasons of its containers (ContainerCreating, CrashLoopBackOff...). */
  reasons: string[];
}

/** The evidence view of a pod (name, node, IP, phase, readiness, restarts, waiting reasons). */
export function podView(pod: Pod): PodView {
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const reasons = statuses
    .map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason)
    .filter((r): r is string => typeof r === 'string');
  const view: PodView = {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase,
    ready: isReady(pod),
    restarts: statuses.reduce((n, s) => n + (Number(s.restartCount) || 0), 0),
    reasons,
    ips: podIps(pod),
  };
  if (pod.spec?.nodeName) view.node = pod.spec.nodeName;
  if (pod.status?.podIP) view.ip = pod.status.podIP;
  return view;
}

/** `status.podIPs` (primary first), or `status.podIP` alone from servers that send only that. */
export function podIps(pod: Pod): string[] {
  const listed = (pod.status?.podIPs ?? [])
    .map((p) => p.ip)
    .filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  if (listed.length > 0) return listed;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/** Whether the pod's Ready condition is True. */
export function isReady(pod: Pod): boolean {
  const conditions: Condition[] = pod.status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Running with its Ready condition true: a pod that serves (or, for the client, takes exec). */
export const isRunningAndReady = (pod: Pod | undefined): boolean => pod?.status?.phase === 'Running' && isReady(pod);

/** The run's workload handle; throws (→ `error`) when a check that needs it got none. */
export function requireWorkload(ctx: CheckContext): WorkloadHandle {
  if (!ctx.workload) throw new Error('this check needs the workload, but none was created');
  return ctx.workload;
}

/** A single API call's options: the check's signal and a per-call timeout. */
export const callOpts = (ctx: CheckContext, timeoutMs = 15_000) => ({ signal: ctx.signal, timeoutMs });

/** Running, Ready and not being deleted: a pod the checks may call. */
export const isServing = (pod: Pod): boolean => !pod.metadata?.deletionTimestamp && isRunningAndReady(pod);

/** The web Deployment's pods, Running, Ready and not being deleted. */
export async function readyWebPods(ctx: CheckContext): Promise<PodView[]> {
  const w = requireWorkload(ctx);
  const { items } = await ctx.cluster.list(
    'pods',
    { namespace: w.namespace, labelSelector: w.webLabelSelector },
    callOpts(ctx),
  );
  return items
    .filter(isServing)
    .map(podView)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The first ready web pod (by name, so the choice is stable), for checks that need one pod. */
export async function oneReadyWebPod(ctx: CheckContext, purpose: string): Promise<PodView> {
  const [pod] = await readyWebPods(ctx);
  if (!pod) throw new Error(`no ready web pod ${purpose}`);
  return pod;
}

/** The ready web pods and every node, read together (placement checks compare them). */
export async function webPodsAndNodes(ctx: CheckContext): Promise<{ pods: PodView[]; nodes: Node[] }> {
  const [pods, { items: nodes }] = await Promise.all([readyWebPods(ctx), ctx.cluster.list('nodes', {}, callOpts(ctx))]);
  return { pods, nodes };
}

/** One short line per pod (name, node, IPs, phase, why not ready), for summaries and evidence. */
export function describePods(pods: readonly PodView[]): string[] {
  return pods.map(
    (p) =>
      `${p.name} on ${p.node ?? '(no node)'} ip=${p.ips.join(',') || '-'} ${p.phase ?? ''}${p.reasons.length ? ` (${p.reasons.join(', ')})` : ''}`,
  );
}

/** What a pod that is not Ready yet waits for, said as the operator would look it up. */
export function waitingFor(pod: Pod): string {
  const view = podView(pod);
  const where = view.node ? ` on ${view.node}` : '';
  if (!view.node) return `${view.name}: not scheduled yet`;
  const reason = view.reasons[0];
  if (reason === 'ContainerCreating') return `${view.name}: pulling image / creating container${where}`;
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff')
    return `${view.name}: cannot pull image${where} (${reason})`;
  if (reason) return `${view.name}${where}: ${reason}`;
  return `${view.name}${where}: ${view.phase ?? 'Pending'}, not ready`;
}

/**
 * One progress line for a wait on pods: `ready/wanted ready` and, for the first few pods not
 * ready, what each waits for (`web-x: pulling image / creating container on worker-1`).
 * @example progressLine('rollout', pods, 3) // "rollout 2/3 ready; web-7d: pulling image / creating container on worker-1"
 */
export function progressLine(what: string, pods: readonly Pod[], wanted: number): string {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const ready = live.filter(isRunningAndReady).length;
  const waiting = live
    .filter((p) => !isRunningAndReady(p))
    .slice(0, 3)
    .map(waitingFor);
  return [`${what} ${ready}/${wanted} ready`, ...waiting].join('; ');
}
