/**
 * Builders for the kube-system workloads a profile's cluster already runs when it starts:
 * a Deployment (→ ReplicaSet → Running pods) or a DaemonSet (→ one Running pod per eligible
 * node), written straight into the store as their controllers and kubelets would have left
 * them, so a fault switched on at start breaks a working cluster. Idempotent.
 */
import type { KubeObj, SimStore } from '../contracts.js';
import { daemonPodTemplate, eligibleNodes, writeDaemonSetStatus } from '../controllers/daemonset.js';
import { writeDeploymentStatus } from '../controllers/deployment.js';
import { hex64, podTemplateHash } from '../controllers/kit/names.js';
import { type Json, ownerReferenceTo } from '../controllers/kit/objects.js';
import { writeReplicaSetStatus } from '../controllers/replicaset.js';
import { podConditions, runningContainerStatus } from '../kubelet/pod-status.js';
import { randomSuffix } from '../store/index.js';

/** Hands out a pod IP on a node (the node's IPAM, as the kubelet will continue it). */
export type PodIpFor = (node: KubeObj) => string[];

export interface BootstrapContext {
  store: SimStore;
  clock: () => Date;
  now: string;
  ipFor: PodIpFor;
}

const hostIpsOf = (node: KubeObj): string[] =>
  (node.status?.addresses ?? []).filter((a: Json) => a.type === 'InternalIP').map((a: Json) => a.address);

/** Creates a pod as its kubelet would have left it: Running, every container started. */
export function ensureRunningPod(ctx: BootstrapContext, pod: KubeObj, node: KubeObj, podIps?: string[]): void {
  if (ctx.store.get('pods', pod.metadata.namespace, pod.metadata.name)) return;
  const hostIps = hostIpsOf(node);
  const ips = podIps ?? (pod.spec?.hostNetwork ? hostIps : ctx.ipFor(node));
  const containers: Json[] = pod.spec.containers;
  ctx.store.create('pods', {
    ...pod,
    spec: { ...pod.spec, nodeName: node.metadata.name },
    status: {
      phase: 'Running',
      conditions: podConditions([], { sandboxReady: true, notReady: [] }, ctx.now),
      hostIP: hostIps[0],
      hostIPs: hostIps.map((ip) => ({ ip })),
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      startTime: ctx.now,
      containerStatuses: containers.map((c) =>
        runningContainerStatus(c, {
          containerId: `containerd://${hex64()}`,
          startedAt: ctx.now,
          restartCount: 0,
          running: true,
          nextBackoffMs: 0,
        }),
      ),
    },
  });
}

/** A Deployment with `replicas` Running pods on `node` (through its ReplicaSet). */
export function ensureDeployment(ctx: BootstrapContext, spec: KubeObj, node: KubeObj): void {
  const { store } = ctx;
  const namespace = spec.metadata.namespace ?? 'kube-system';
  const name = spec.metadata.name;
  const deployment = store.get('deployments', namespace, name) ?? store.create('deployments', spec);
  const replicas: number = deployment.spec.replicas ?? 1;
  // The hash of the template as stored (defaults filled), so the Deployment controller finds this ReplicaSet.
  const hash = podTemplateHash(deployment.spec.template);
  const rsName = `${name}-${hash}`;
  const template = structuredClone(deployment.spec.template);
  template.metadata.labels = { ...template.metadata.labels, 'pod-template-hash': hash };
  const rs =
    store.get('replicasets', namespace, rsName) ??
    store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        labels: template.metadata.labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [ownerReferenceTo(deployment)],
      },
      spec: { replicas, selector: { matchLabels: template.metadata.labels }, template },
    });
  if (!deployment.metadata.annotations?.['deployment.kubernetes.io/revision']) {
    deployment.metadata.annotations = {
      ...(deployment.metadata.annotations ?? {}),
      'deployment.kubernetes.io/revision': '1',
    };
    store.update('deployments', deployment);
  }
  const owned = () =>
    store.list('pods', namespace).filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
  for (let i = owned().length; i < replicas; i++) {
    ensureRunningPod(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${rsName}-${randomSuffix()}`,
          namespace,
          labels: template.metadata.labels,
          ownerReferences: [ownerReferenceTo(rs)],
        },
        spec: { ...structuredClone(template.spec), nodeName: node.metadata.name },
      },
      node,
    );
  }
  writeReplicaSetStatus({ store }, store.get('replicasets', namespace, rsName)!, owned());
  const storedRs = store.get('replicasets', namespace, rsName)!;
  writeDeploymentStatus({ store, clock: ctx.clock }, store.get('deployments', namespace, name)!, [storedRs], storedRs);
}

/** A DaemonSet with one Running pod on every node it is eligible for. */
export function ensureDaemonSet(ctx: BootstrapContext, spec: KubeObj): void {
  const { store } = ctx;
  const namespace = spec.metadata.namespace ?? 'kube-system';
  const ds = store.get('daemonsets', namespace, spec.metadata.name) ?? store.create('daemonsets', spec);
  const template = daemonPodTemplate(ds);
  const nodes = eligibleNodes({ store }, ds);
  const owned = () =>
    store.list('pods', namespace).filter((p) => p.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
  for (const node of nodes) {
    if (owned().some((p) => p.spec?.nodeName === node.metadata.name)) continue;
    ensureRunningPod(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${ds.metadata.name}-${randomSuffix()}`,
          namespace,
          labels: template.metadata.labels,
          ownerReferences: [ownerReferenceTo(ds)],
        },
        spec: {
          ...structuredClone(template.spec),
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.metadata.name] }] },
                ],
              },
            },
          },
        },
      },
      node,
    );
  }
  writeDaemonSetStatus({ store }, ds, new Set(nodes.map((n) => n.metadata.name)), owned());
}

/** A DaemonSet object for kube-system (the builders above make its pods). */
export function daemonSet(name: string, labels: Record<string, string>, podSpec: Json): KubeObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

/** A Deployment object for kube-system. */
export function deployment(name: string, labels: Record<string, string>, replicas: number, podSpec: Json): KubeObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'kube-system', labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

/** One container, the way add-on manifests write them. */
export function container(name: string, image: string, extra: Json = {}): Json {
  return { name, image, imagePullPolicy: 'IfNotPresent', ...extra };
}

export function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'kube-system', ...(labels ? { labels } : {}) },
    data,
  };
}
