/**
 * What each simulated fault (or pair of faults) must do to the smoke suite's verdicts on today's
 * default cluster: one row each, the fault's arguments naming `node`; shared by the fault matrix
 * and the profile × fault matrix so the two cannot drift.
 */
import type { FaultSpec, SimCluster } from '../../sim/index.js';
import { AFTER_ROLLOUT, EXEC_DEPENDENTS, SMOKE_SUITE, type SmokeSuiteId } from './check-ids.js';
import { nodeNotReady, untilSim } from './sim-audit.js';

export const ALL = SMOKE_SUITE;
export type Id = SmokeSuiteId;

export interface Row {
  fault: FaultSpec;
  /** More faults at the same time. */
  also?: FaultSpec[];
  /** Passed, with warnings (a partial observation). */
  warned?: Id[];
  failed?: Id[];
  skipped?: Id[];
  error?: Id[];
  /** Text the failed results' summary or hint must contain (the component named). */
  mentions?: RegExp;
  /** Before the audit: let the sim reach the state a real cluster shows some time after the fault. */
  settle?: (sim: SimCluster) => Promise<void>;
  /**
   * The fault also stops namespace deletion (the namespace controller lives in the
   * controller-manager, so a real namespace stays Terminating too): cleanup must say so, and the
   * namespace must go once the fault is lifted.
   */
  blocksNamespaceDeletion?: boolean;
}

/** Expected vector: listed ids failed/skipped/error, every other check passed. */
export function faultRows(node = 'worker-1'): Row[] {
  return [
    { fault: 'scheduler-down', failed: ['workload.rollout'], skipped: AFTER_ROLLOUT, mentions: /scheduler/ },
    { fault: 'scheduler-binpack', failed: ['scheduler.spread'], mentions: /landed on[\s\S]*PodTopologySpread/ },
    {
      fault: 'nodes-unschedulable',
      failed: ['nodes.ready', 'workload.rollout'],
      skipped: AFTER_ROLLOUT,
      mentions: /unschedulable|cordon/i,
    },
    {
      fault: `node-notready:${node}`,
      failed: ['nodes.ready'],
      mentions: new RegExp(node),
      // A stopped kubelet's node stays Ready until the node-monitor grace period passes (40–50 s on a
      // real cluster, shorter in the sim); pods land elsewhere only after that, as in real life.
      settle: (sim) => untilSim(sim, 'nodes', nodeNotReady(node)),
    },
    {
      fault: 'cni-down',
      failed: ['workload.rollout'],
      skipped: AFTER_ROLLOUT,
      mentions: /FailedCreatePodSandBox[\s\S]*CNI/,
    },
    {
      fault: 'cni-missing',
      failed: ['nodes.ready', 'workload.rollout'],
      skipped: AFTER_ROLLOUT,
      mentions: /NetworkPluginNotReady/,
      settle: (sim) =>
        untilSim(sim, 'nodes', () =>
          sim.store
            .list('nodes')
            .every((n) =>
              n.status?.conditions?.some(
                (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'False',
              ),
            ),
        ),
    },
    {
      // DNS, the ClusterIP and the NodePort are still observed from the client's node:
      // its web pod answers the ClusterIP and NodePort; the DNS pods run on the control plane, so
      // only their readiness and the forwarded queries are seen. All passed, with warnings naming
      // what could not be observed (partial, not skipped).
      fault: 'cni-cross-node',
      failed: ['pods.cross-node'],
      warned: ['dns.service', 'service.loadbalancing', 'service.nodeport'],
      mentions: /CNI/,
    },
    {
      // Two faults at once that used to hide each other: both are named.
      fault: 'cni-cross-node',
      also: [`nodeport-blocked:${node}`],
      failed: ['pods.cross-node', 'service.nodeport'],
      warned: ['dns.service', 'service.loadbalancing'],
      mentions: new RegExp(`CNI[\\s\\S]*fails on ${node}`),
    },
    {
      fault: 'endpoints-controller-down',
      failed: ['endpoints.slices'],
      skipped: ['service.loadbalancing', 'service.nodeport'],
      mentions: /endpoint/i,
    },
    { fault: 'coredns-down', failed: ['dns.service'], mentions: /no DNS server answered[\s\S]*CoreDNS/ },
    { fault: 'coredns-nxdomain', failed: ['dns.service'], mentions: /NXDOMAIN[\s\S]*CoreDNS/ },
    { fault: 'kube-proxy-down', failed: ['service.loadbalancing', 'service.nodeport'], mentions: /kube-proxy/ },
    { fault: 'kube-proxy-no-balance', failed: ['service.loadbalancing'], mentions: /landed on[\s\S]*kube-proxy/ },
    { fault: `nodeport-blocked:${node}`, failed: ['service.nodeport'], mentions: new RegExp(`fails on ${node}`) },
    {
      fault: 'kubelet-rbac-denied',
      failed: ['pods.logs', 'pods.exec', 'pods.portforward'],
      skipped: EXEC_DEPENDENTS,
      mentions: /subresource=proxy[\s\S]*article 9/,
    },
    {
      fault: 'controller-manager-down',
      failed: ['workload.rollout'],
      skipped: AFTER_ROLLOUT,
      mentions: /controller-manager/,
      blocksNamespaceDeletion: true,
    },
    { fault: 'kubelet-no-restart', failed: ['kubelet.restart'], mentions: /restartCount stayed/ },
    { fault: 'apiserver-unreachable', error: ['preflight.api'], skipped: ALL.filter((id) => id !== 'preflight.api') },
    { fault: 'token-invalid', error: ['preflight.api'], skipped: ALL.filter((id) => id !== 'preflight.api') },
    {
      fault: 'rbac-missing:create:pods/exec',
      error: ['preflight.api', 'pods.exec', ...EXEC_DEPENDENTS],
    },
    {
      // A WebSocket exec is authorized as `get` before v1.35: kubeproof needs (and reviews) both verbs.
      fault: 'rbac-missing:get:pods/exec',
      error: ['preflight.api', 'pods.exec', ...EXEC_DEPENDENTS],
    },
  ];
}

export function expectedVector(row: Pick<Row, 'failed' | 'skipped' | 'error'>): Record<string, string> {
  const v: Record<string, string> = {};
  for (const id of ALL) v[id] = 'passed';
  for (const id of row.skipped ?? []) v[id] = 'skipped';
  for (const id of row.failed ?? []) v[id] = 'failed';
  for (const id of row.error ?? []) v[id] = 'error';
  return v;
}
