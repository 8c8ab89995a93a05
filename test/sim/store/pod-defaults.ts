/**
 * Defaults the API server fills into pod specs (SetDefaults_PodSpec, SetDefaults_Container
 * and the ServiceAccount / DefaultTolerationSeconds admission plugins), so `kubectl get -o
 * yaml` and clients see what a real cluster shows.
 */
import { randomSuffix } from './names.js';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are open JSON as on the wire
type Json = any;

function imagePullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * SetDefaults_Probe and SetDefaults_HTTPGetAction (pkg/apis/core/v1/defaults.go): timeoutSeconds 1,
 * periodSeconds 10, successThreshold 1, failureThreshold 3; an HTTP probe's path `/` and scheme HTTP.
 * The kubelet runs probes with these values.
 */
function defaultProbe(probe: Json): void {
  if (!probe || typeof probe !== 'object') return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Json): void {
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[kind]);
  c.imagePullPolicy ??= imagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
}

/** Defaults of a PodSpec, also applied inside Deployment/ReplicaSet templates. */
export function defaultPodSpec(spec: Json): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
}

const notReadyTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function isMirrorPod(pod: Json): boolean {
  return Boolean(pod.metadata?.annotations?.['kubernetes.io/config.mirror']);
}

/**
 * What admission adds to a new pod: the service account, its token volume mounted in every
 * container, the 300 s not-ready/unreachable tolerations, priority, and the initial status.
 */
export function admitNewPod(pod: Json): void {
  const spec = pod.spec;
  defaultPodSpec(spec);
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  spec.tolerations ??= [];
  for (const t of notReadyTolerations) {
    if (!spec.tolerations.some((x: Json) => x.key === t.key && x.effect === t.effect)) spec.tolerations.push({ ...t });
  }
  if (!isMirrorPod(pod)) {
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.automountServiceAccountToken !== false) mountServiceAccountToken(spec);
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(spec), ...(pod.status ?? {}) };
}

function mountServiceAccountToken(spec: Json): void {
  const volumeName = `kube-api-access-${randomSuffix()}`;
  spec.volumes ??= [];
  spec.volumes.push({
    name: volumeName,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  });
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.volumeMounts ??= [];
    c.volumeMounts.push({
      name: volumeName,
      readOnly: true,
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    });
  }
}

function qosClass(spec: Json): string {
  const containers: Json[] = spec.containers ?? [];
  const hasAny = containers.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0,
  );
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? limits;
    return ['cpu', 'memory'].every((r) => limits[r] !== undefined && String(requests[r]) === String(limits[r]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
