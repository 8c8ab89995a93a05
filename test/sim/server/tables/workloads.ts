/** Table printers for pods, deployments, replicasets and daemonsets (pkg/printers/internalversion). */
import type { KubeObj } from '../../contracts.js';
import { ageColumn, col, nameColumn, type Printer } from './columns.js';
import { age, formatSelector } from './humanize.js';

// biome-ignore lint/suspicious/noExplicitAny: status entries are open JSON
type Json = any;

function podStatusCells(pod: KubeObj, now: number): { ready: string; reason: string; restarts: string } {
  const statuses: Json[] = pod.status?.containerStatuses ?? [];
  const total = (pod.spec?.containers ?? []).length;
  let reason: string = pod.status?.reason || pod.status?.phase || '';
  let restarts = 0;
  let readyCount = 0;
  let hasRunning = false;
  let lastRestart = 0;
  for (const c of [...statuses].reverse()) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state?.terminated) {
      const t = c.state.terminated;
      reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
    } else if (c.ready && c.state?.running) {
      hasRunning = true;
      readyCount++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    const readyCondition = (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
    reason = readyCondition ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartText =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  return { ready: `${readyCount}/${total}`, reason, restarts: restartText };
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    col(
      'IP',
      'string',
      'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      1,
    ),
    col(
      'Node',
      'string',
      'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
      1,
    ),
    col(
      'Nominated Node',
      'string',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node.',
      1,
    ),
    col(
      'Readiness Gates',
      'string',
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      1,
    ),
  ],
  row(pod, now) {
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    const gates: Json[] = pod.spec?.readinessGates ?? [];
    const gatesText =
      gates.length === 0
        ? '<none>'
        : `${gates.filter((g) => (pod.status?.conditions ?? []).some((c: Json) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`;
    return [
      pod.metadata.name,
      ready,
      reason,
      restarts,
      age(pod.metadata.creationTimestamp, now),
      ip,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      gatesText,
    ];
  },
};

function containersAndImages(template: Json): [string, string] {
  const containers: Json[] = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

const wideWorkloadColumns = [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col(
    'Selector',
    'string',
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    1,
  ),
];

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'string',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'string',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn,
    ...wideWorkloadColumns,
  ],
  row(d, now) {
    const s = d.status ?? {};
    return [
      d.metadata.name,
      `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      s.updatedReplicas ?? 0,
      s.availableReplicas ?? 0,
      age(d.metadata.creationTimestamp, now),
      ...containersAndImages(d.spec?.template),
      formatSelector(d.spec?.selector),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    col(
      'Desired',
      'integer',
      'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    ),
    col(
      'Current',
      'integer',
      'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
    ),
    col('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'),
    ageColumn,
    ...wideWorkloadColumns,
  ],
  row(rs, now) {
    const s = rs.status ?? {};
    return [
      rs.metadata.name,
      rs.spec?.replicas ?? 0,
      s.replicas ?? 0,
      s.readyReplicas ?? 0,
      age(rs.metadata.creationTimestamp, now),
      ...containersAndImages(rs.spec?.template),
      formatSelector(rs.spec?.selector),
    ];
  },
};

/** pkg/printers/internalversion daemonSetColumnDefinitions: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE. */
export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 'The desired number of nodes that should be running the daemon pod.'),
    col(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    col(
      'Ready',
      'integer',
      'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
    ),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    ),
    col(
      'Node Selector',
      'string',
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
    ),
    ageColumn,
    ...wideWorkloadColumns,
  ],
  row(ds, now) {
    const s = ds.status ?? {};
    const selector: Record<string, string> = ds.spec?.template?.spec?.nodeSelector ?? {};
    const selectorText =
      Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '<none>';
    return [
      ds.metadata.name,
      s.desiredNumberScheduled ?? 0,
      s.currentNumberScheduled ?? 0,
      s.numberReady ?? 0,
      s.updatedNumberScheduled ?? 0,
      s.numberAvailable ?? 0,
      selectorText,
      age(ds.metadata.creationTimestamp, now),
      ...containersAndImages(ds.spec?.template),
      formatSelector(ds.spec?.selector),
    ];
  },
};
