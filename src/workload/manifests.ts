import type { KubeObject } from '../kube/cluster-access.js';
import {
  EXPIRES_AT_ANNOTATION,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PULL_SECRET,
  RESTART_PROBE_POD,
  RUN_ID_LABEL,
  runIdLabelValue,
  WEB_LABELS,
  WEB_SELECTOR,
} from './names.js';
import type { WorkloadHandle, WorkloadOptions } from './types.js';

const SMALL = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } };
const managed = { [MANAGED_BY_LABEL]: MANAGED_BY };

type Images = WorkloadOptions['images'];

/** The pod spec fields every kubeproof pod shares: the registry credentials, when given. */
const pullSecrets = (images: Images) => (images.pullSecret ? { imagePullSecrets: [{ name: PULL_SECRET }] } : {});

/** The registry credentials as a Secret of the run namespace (only when `images.pullSecret` is set). */
export function pullSecretManifest(dockerConfigJson: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: PULL_SECRET, labels: { ...managed } },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': dockerConfigJson },
  };
}

/** The run's namespace, labelled with the run id and annotated with its expiry (for the sweep). */
export function namespaceManifest(w: WorkloadHandle, runId: string, expiresAt: Date): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: w.namespace,
      labels: { ...managed, [RUN_ID_LABEL]: runIdLabelValue(runId) },
      annotations: { [EXPIRES_AT_ANNOTATION]: expiresAt.toISOString() },
    },
  };
}

/** The agnhost netexec web Deployment the smoke checks call. */
export function webDeployment(w: WorkloadHandle, images: Images): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.deploymentName, labels: { ...WEB_LABELS } },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { ...WEB_SELECTOR } },
      template: {
        metadata: { labels: { ...WEB_LABELS } },
        spec: {
          ...pullSecrets(images),
          containers: [
            {
              name: 'web',
              image: images.web,
              // --http-override=/hostname makes every path answer as /hostname, which is all we
              // call; it also makes /shell, /upload and /exit unreachable, so the NodePort in front
              // of these pods never hands command execution to whoever can reach a node.
              args: ['netexec', '--http-port=8080', '--http-override=/hostname'],
              ports: [{ containerPort: 8080, name: 'http' }],
              readinessProbe: { httpGet: { path: '/hostname', port: 8080 }, periodSeconds: 2 },
              resources: SMALL,
            },
          ],
        },
      },
    },
  };
}

/** The web ClusterIP Service (port 80 → agnhost's 8080). */
export function clusterIpService(w: WorkloadHandle): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.serviceName, labels: { ...managed } },
    spec: { selector: { ...WEB_SELECTOR }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

/** The web NodePort Service, for service.nodeport. */
export function nodePortService(w: WorkloadHandle): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.nodePortServiceName, labels: { ...managed } },
    spec: { type: 'NodePort', selector: { ...WEB_SELECTOR }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  };
}

function busyboxPod(name: string, images: Images, command: string[], restartPolicy: 'Never' | 'Always'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name, ...managed } },
    spec: {
      restartPolicy,
      terminationGracePeriodSeconds: 1,
      ...pullSecrets(images),
      containers: [{ name, image: images.client, command, resources: SMALL }],
    },
  };
}

/** The busybox pod checks exec wget/nslookup from, as the smoke test's `kubectl run client` (docs/guide.md). */
export function clientPod(w: WorkloadHandle, images: Images): KubeObject {
  return busyboxPod(w.clientPodName, images, ['sleep', '3600'], 'Never');
}

/** kubelet.restart's victim: PID 1 exits 0 on TERM, so `kill 1` ends the container cleanly. */
export function restartProbePod(images: Images): KubeObject {
  return busyboxPod(
    RESTART_PROBE_POD,
    images,
    ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
    'Always',
  );
}
