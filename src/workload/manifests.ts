import type { KubeObject } from '../kube/cluster-access.js';
import { EXPIRES_AT_ANNOTATION, HEARTBEAT_ANNOTATION } from './names.js';
import type { WorkloadHandle, WorkloadOptions } from './types.js';

/** What operators add to a namespace kubeproof creates (the object form of `options.namespace`). */
export type NamespaceExtras = Exclude<WorkloadOptions['namespace'], string>;

/**
 * Requests and limits of every kubeproof container: both set, for ResourceQuotas that require
 * limits (`must specify limits.cpu`) and LimitRanges with minimums kept small.
 */
export const POD_RESOURCES = {
  requests: { cpu: '10m', memory: '16Mi' },
  limits: { cpu: '100m', memory: '64Mi' },
} as const;
/**
 * The non-root user every kubeproof container runs as: numeric, so the kubelet can verify
 * runAsNonRoot without reading the image (`nobody`; agnhost netexec listens on 8080 and busybox
 * sleeps without any privilege).
 */
export const RUN_AS_USER = 65534;

/** What a pod's manifest depends on in the request's options. */
export type PodInputs = Pick<WorkloadOptions, 'images' | 'pods'>;

/**
 * The pod-level fields every kubeproof pod shares: Pod Security `restricted` (non-root with a
 * numeric UID, RuntimeDefault seccomp; kubernetes/kubernetes staging/src/k8s.io/pod-security-admission
 * policy/check_runAsNonRoot.go, check_seccompProfile_restricted.go), Linux nodes, the operator's
 * scheduling options and the registry credentials, when given.
 */
function podSpecBase(w: WorkloadHandle, o: PodInputs) {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { ...o.pods.nodeSelector, 'kubernetes.io/os': 'linux' },
    ...(o.pods.tolerations.length ? { tolerations: o.pods.tolerations.map((t) => ({ ...t })) } : {}),
    ...(o.pods.priorityClassName ? { priorityClassName: o.pods.priorityClassName } : {}),
    ...(o.images.pullSecret ? { imagePullSecrets: [{ name: w.pullSecretName }] } : {}),
  };
}

/**
 * Container-level `restricted` fields (check_allowPrivilegeEscalation.go, check_capabilities_restricted.go)
 * and the resources.
 */
const CONTAINER_BASE = {
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
  },
  resources: POD_RESOURCES,
} as const;

/** The operator's pod labels and annotations under kubeproof's own (which win). */
function podMetadata(o: PodInputs, labels: Record<string, string>) {
  const annotations = o.pods.annotations;
  return {
    labels: { ...o.pods.labels, ...labels },
    ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
  };
}

/** The registry credentials as a Secret of the run namespace (only when `images.pullSecret` is set). */
export function pullSecretManifest(w: WorkloadHandle, dockerConfigJson: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: w.pullSecretName, labels: { ...w.runLabels } },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerConfigJson },
  };
}

/**
 * The run's namespace, labelled with the run id and annotated with its expiry and heartbeat (for
 * the sweep), with the operator's labels and annotations under kubeproof's own.
 */
export function namespaceManifest(
  w: WorkloadHandle,
  expiresAt: Date,
  extra: NamespaceExtras = { labels: {}, annotations: {} },
  heartbeatAt: Date = new Date(),
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: w.namespace,
      labels: { ...extra.labels, ...w.runLabels },
      annotations: {
        ...extra.annotations,
        [EXPIRES_AT_ANNOTATION]: expiresAt.toISOString(),
        [HEARTBEAT_ANNOTATION]: heartbeatAt.toISOString(),
      },
    },
  };
}

/** The agnhost netexec web Deployment the smoke checks call. */
export function webDeployment(w: WorkloadHandle, o: PodInputs): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.deploymentName, labels: { ...w.runLabels } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { ...w.webSelector } },
      template: {
        metadata: podMetadata(o, { ...w.webSelector, ...w.runLabels }),
        spec: {
          ...podSpecBase(w, o),
          containers: [
            {
              ...CONTAINER_BASE,
              name: 'web',
              image: o.images.web,
              // --http-override=/hostname makes every path answer as /hostname, which is all we
              // call; it also makes /shell, /upload and /exit unreachable, so the NodePort in front
              // of these pods never hands command execution to whoever can reach a node.
              args: ['netexec', '--http-port=8080', '--http-override=/hostname'],
              ports: [{ containerPort: 8080, name: 'http' }],
              readinessProbe: { httpGet: { path: '/hostname', port: 8080 }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  };
}

/**
 * The web Service (port 80 → agnhost's 8080), as the guide's smoke test exposes the Deployment:
 * one NodePort Service, which is a ClusterIP Service too ("exposed on one port of every node, in
 * addition to 'ClusterIP' type": ServiceTypeNodePort in kubernetes/kubernetes
 * staging/src/k8s.io/api/core/v1/types.go), so the ClusterIP, DNS and NodePort checks share it.
 * `ClusterIP` is the fallback where the API server will not make a NodePort (create.ts).
 */
export function webService(w: WorkloadHandle, type: 'NodePort' | 'ClusterIP'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.serviceName, labels: { ...w.runLabels } },
    spec: { type, selector: { ...w.webSelector }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

function busyboxPod(
  w: WorkloadHandle,
  name: string,
  o: PodInputs,
  command: string[],
  restartPolicy: 'Never' | 'Always',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...podMetadata(o, { app: name, ...w.runLabels }) },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 1,
      ...podSpecBase(w, o),
      containers: [{ ...CONTAINER_BASE, name, image: o.images.client, command }],
    },
  };
}

/** The busybox pod checks exec wget/nslookup from, as the smoke test's `kubectl run client` (docs/guide.md). */
export function clientPod(w: WorkloadHandle, o: PodInputs): KubeObject {
  return busyboxPod(w, w.clientPodName, o, ['sleep', '3600'], 'Never');
}

/** kubelet.restart's victim: PID 1 exits 0 on TERM, so `kill 1` ends the container cleanly. */
export function restartProbePod(w: WorkloadHandle, o: PodInputs): KubeObject {
  return busyboxPod(
    w,
    w.restartProbePodName,
    o,
    ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
    'Always',
  );
}
