/**
 * The JSON field names of the Go types behind the kinds the simulated API server serves, as far
 * as strict field validation needs them (k8s.io/api core/v1, apps/v1, rbac/v1, coordination/v1,
 * discovery/v1 types.go at v1.32; meta/v1 ObjectMeta). A type listed here is complete: every
 * field of the Go struct is named, so an unlisted key is one the real decoder would not know.
 * Below a field that maps to no listed type (status, volumes, affinity, securityContext, …)
 * nothing is checked — the simulation accepts there what it does not model.
 *
 * `children` names the listed type of a field's value (an object, or each item of a list).
 */
interface TypeFields {
  fields: readonly string[];
  children?: Readonly<Record<string, string>>;
}

const objectMeta = 'ObjectMeta';

/** Top level of every kind: TypeMeta + ObjectMeta + the kind's own fields. */
const kindFields = (own: string[], children: Record<string, string> = {}): TypeFields => ({
  fields: ['apiVersion', 'kind', 'metadata', ...own],
  children: { metadata: objectMeta, ...children },
});

export const TYPES: Readonly<Record<string, TypeFields>> = {
  [objectMeta]: {
    fields: [
      'name',
      'generateName',
      'namespace',
      'selfLink',
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'labels',
      'annotations',
      'ownerReferences',
      'finalizers',
      'managedFields',
    ],
  },
  ConfigMap: kindFields(['data', 'binaryData', 'immutable']),
  Secret: kindFields(['data', 'stringData', 'type', 'immutable']),
  Namespace: kindFields(['spec', 'status']),
  Node: kindFields(['spec', 'status']),
  ServiceAccount: kindFields(['secrets', 'imagePullSecrets', 'automountServiceAccountToken']),
  Service: kindFields(['spec', 'status'], { spec: 'ServiceSpec' }),
  ServiceSpec: {
    fields: [
      'ports',
      'selector',
      'clusterIP',
      'clusterIPs',
      'type',
      'externalIPs',
      'sessionAffinity',
      'loadBalancerIP',
      'loadBalancerSourceRanges',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'sessionAffinityConfig',
      'ipFamilies',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ],
    children: { ports: 'ServicePort' },
  },
  ServicePort: { fields: ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'] },
  Pod: kindFields(['spec', 'status'], { spec: 'PodSpec' }),
  PodTemplateSpec: { fields: ['metadata', 'spec'], children: { metadata: objectMeta, spec: 'PodSpec' } },
  PodSpec: {
    fields: [
      'volumes',
      'initContainers',
      'containers',
      'ephemeralContainers',
      'restartPolicy',
      'terminationGracePeriodSeconds',
      'activeDeadlineSeconds',
      'dnsPolicy',
      'nodeSelector',
      'serviceAccountName',
      'serviceAccount',
      'automountServiceAccountToken',
      'nodeName',
      'hostNetwork',
      'hostPID',
      'hostIPC',
      'shareProcessNamespace',
      'securityContext',
      'imagePullSecrets',
      'hostname',
      'subdomain',
      'affinity',
      'schedulerName',
      'tolerations',
      'hostAliases',
      'priorityClassName',
      'priority',
      'dnsConfig',
      'readinessGates',
      'runtimeClassName',
      'enableServiceLinks',
      'preemptionPolicy',
      'overhead',
      'topologySpreadConstraints',
      'setHostnameAsFQDN',
      'os',
      'hostUsers',
      'schedulingGates',
      'resourceClaims',
      'resources',
    ],
    children: { containers: 'Container', initContainers: 'Container' },
  },
  Container: {
    fields: [
      'name',
      'image',
      'command',
      'args',
      'workingDir',
      'ports',
      'envFrom',
      'env',
      'resources',
      'resizePolicy',
      'restartPolicy',
      'volumeMounts',
      'volumeDevices',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'lifecycle',
      'terminationMessagePath',
      'terminationMessagePolicy',
      'imagePullPolicy',
      'securityContext',
      'stdin',
      'stdinOnce',
      'tty',
    ],
    children: { ports: 'ContainerPort', livenessProbe: 'Probe', readinessProbe: 'Probe', startupProbe: 'Probe' },
  },
  ContainerPort: { fields: ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] },
  Probe: {
    fields: [
      'exec',
      'httpGet',
      'tcpSocket',
      'grpc',
      'initialDelaySeconds',
      'timeoutSeconds',
      'periodSeconds',
      'successThreshold',
      'failureThreshold',
      'terminationGracePeriodSeconds',
    ],
    children: { httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction', exec: 'ExecAction' },
  },
  HTTPGetAction: { fields: ['path', 'port', 'host', 'scheme', 'httpHeaders'] },
  TCPSocketAction: { fields: ['port', 'host'] },
  ExecAction: { fields: ['command'] },
  Deployment: kindFields(['spec', 'status'], { spec: 'DeploymentSpec' }),
  DeploymentSpec: {
    fields: [
      'replicas',
      'selector',
      'template',
      'strategy',
      'minReadySeconds',
      'revisionHistoryLimit',
      'paused',
      'progressDeadlineSeconds',
    ],
    children: { template: 'PodTemplateSpec' },
  },
  ReplicaSet: kindFields(['spec', 'status'], { spec: 'ReplicaSetSpec' }),
  ReplicaSetSpec: {
    fields: ['replicas', 'minReadySeconds', 'selector', 'template'],
    children: { template: 'PodTemplateSpec' },
  },
  DaemonSet: kindFields(['spec', 'status'], { spec: 'DaemonSetSpec' }),
  DaemonSetSpec: {
    fields: ['selector', 'template', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'],
    children: { template: 'PodTemplateSpec' },
  },
  Lease: kindFields(['spec']),
  EndpointSlice: kindFields(['addressType', 'endpoints', 'ports']),
  Endpoints: kindFields(['subsets']),
  Role: kindFields(['rules']),
  ClusterRole: kindFields(['rules', 'aggregationRule']),
  RoleBinding: kindFields(['subjects', 'roleRef']),
  ClusterRoleBinding: kindFields(['subjects', 'roleRef']),
};

/**
 * Paths of the fields `TYPES` does not know in `obj` of type `type`, in the order the decoder
 * meets them (JSON key order), written as the API server writes them: `spec.foo`,
 * `spec.containers[0].imagePullPolicyy`.
 */
export function unknownFieldPaths(type: string, obj: unknown, prefix = ''): string[] {
  const def = TYPES[type];
  if (!def || !obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!def.fields.includes(key)) {
      found.push(path);
      continue;
    }
    const child = def.children?.[key];
    if (!child) continue;
    if (!Array.isArray(value)) found.push(...unknownFieldPaths(child, value, path));
    else for (const [i, item] of value.entries()) found.push(...unknownFieldPaths(child, item, `${path}[${i}]`));
  }
  return found;
}

/** Drops the fields `unknownFieldPaths` reports, as decoding into the Go struct does. */
export function pruneUnknownFields(type: string, obj: unknown): void {
  const def = TYPES[type];
  if (!def || !obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  const record = obj as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!def.fields.includes(key)) {
      delete record[key];
      continue;
    }
    const child = def.children?.[key];
    const value = record[key];
    if (!child) continue;
    if (Array.isArray(value)) for (const item of value) pruneUnknownFields(child, item);
    else pruneUnknownFields(child, value);
  }
}
