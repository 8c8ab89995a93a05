/**
 * Schemas of the kinds the simulated API server serves, for `kubectl explain` (which reads the
 * OpenAPI v3 document of a group version and follows `properties` and `$ref`) and for the
 * `/openapi/v2` document. Field names and types follow k8s.io/api (core/v1, apps/v1 types.go);
 * the descriptions are the simulation's own one-liners, not upstream's text. The main fields are
 * described; objects keep `x-kubernetes-preserve-unknown-fields` where the table stops, and lists
 * carry no patch strategy, so kubectl's client-side patch computation is unchanged (atomic lists).
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema fragments
export type JsonSchema = Record<string, any>;

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const core = 'io.k8s.api.core.v1';

const s = (description: string): JsonSchema => ({ type: 'string', description });
const i = (description: string): JsonSchema => ({ type: 'integer', format: 'int32', description });
const b = (description: string): JsonSchema => ({ type: 'boolean', description });
const map = (description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  description,
});
const ref = (name: string, description: string): JsonSchema => ({
  allOf: [{ $ref: `#/components/schemas/${name}` }],
  description,
});
const list = (name: string, description: string): JsonSchema => ({
  type: 'array',
  items: { allOf: [{ $ref: `#/components/schemas/${name}` }] },
  description,
});
const strings = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });
const intOrString = (description: string): JsonSchema =>
  ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString', description);
const open = (description: string): JsonSchema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
const obj = (description: string, properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});

const typeMeta = {
  apiVersion: s('The versioned schema of this representation of the object (group/version).'),
  kind: s('The REST resource this object represents, in CamelCase.'),
};

/** A top-level kind: apiVersion, kind, metadata, then its own fields. */
function kindSchema(description: string, fields: Record<string, JsonSchema>): JsonSchema {
  return obj(description, {
    ...typeMeta,
    metadata: ref(`${meta}.ObjectMeta`, "The object's metadata: name, namespace, labels, annotations."),
    ...fields,
  });
}

/** Shared definitions, by schema name. */
export const sharedSchemas: Record<string, JsonSchema> = {
  // No `type`: OpenAPI v3 says int-or-string with anyOf, and kubectl explain then names the type.
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
    description: 'An integer or a string (a number, a percentage or a named port).',
  },
  [`${meta}.ObjectMeta`]: obj('Metadata every persisted object has.', {
    name: s('Unique name within the namespace (or the cluster for cluster-scoped kinds).'),
    generateName: s('Prefix the server completes into a unique name when name is empty.'),
    namespace: s('The namespace the object lives in; empty for cluster-scoped kinds.'),
    uid: s('Unique identifier the server assigns on creation.'),
    resourceVersion: s('Opaque version of the object, changed on every write (optimistic concurrency).'),
    generation: { type: 'integer', format: 'int64', description: 'Sequence number of changes to the desired state.' },
    creationTimestamp: s('When the object was created (RFC 3339).'),
    deletionTimestamp: s('When a graceful deletion ends; set once deletion was requested.'),
    labels: map('Key/value pairs that selectors match.'),
    annotations: map('Key/value pairs for tools, not used for selection.'),
    ownerReferences: list(`${meta}.OwnerReference`, 'Objects this one depends on (garbage collection).'),
    finalizers: strings('Conditions that must be cleared before the object is removed.'),
  }),
  [`${meta}.OwnerReference`]: obj(
    'Identifies an owning object.',
    {
      apiVersion: s('API version of the owner.'),
      kind: s('Kind of the owner.'),
      name: s('Name of the owner.'),
      uid: s('UID of the owner.'),
      controller: b('Whether the owner is the managing controller.'),
      blockOwnerDeletion: b('Whether the owner waits for this object in foreground deletion.'),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [`${meta}.LabelSelector`]: obj('A label query over objects.', {
    matchLabels: map('Labels that must all be present with these values.'),
    matchExpressions: {
      type: 'array',
      items: open('A key, an operator and values.'),
      description: 'Set-based requirements.',
    },
  }),
  [`${core}.PodTemplateSpec`]: obj('The pods a controller creates.', {
    metadata: ref(`${meta}.ObjectMeta`, 'Labels and annotations of the pods.'),
    spec: ref(`${core}.PodSpec`, 'The pods’ desired state.'),
  }),
  [`${core}.PodSpec`]: obj(
    'Desired state of a pod.',
    {
      containers: list(`${core}.Container`, 'The containers of the pod; at least one.'),
      initContainers: list(`${core}.Container`, 'Containers run to completion, in order, before the others start.'),
      restartPolicy: s('Always, OnFailure or Never. Defaults to Always.'),
      terminationGracePeriodSeconds: {
        type: 'integer',
        format: 'int64',
        description: 'Seconds a deleted pod gets to stop. Defaults to 30.',
      },
      dnsPolicy: s('How the pod resolves names: ClusterFirst (default), Default, None, ClusterFirstWithHostNet.'),
      nodeSelector: map('Labels a node must have for the pod to be placed there.'),
      nodeName: s('The node the pod is bound to; set by the scheduler.'),
      serviceAccountName: s('The ServiceAccount the pod runs as.'),
      automountServiceAccountToken: b('Whether a token of the ServiceAccount is mounted.'),
      hostNetwork: b("Use the node's network namespace."),
      securityContext: open('Pod-level security attributes.'),
      imagePullSecrets: {
        type: 'array',
        items: open('A Secret by name.'),
        description: 'Secrets used to pull images.',
      },
      affinity: open('Node and pod affinity rules.'),
      tolerations: { type: 'array', items: open('A taint this pod tolerates.'), description: 'Taints tolerated.' },
      topologySpreadConstraints: {
        type: 'array',
        items: open('How pods spread over a topology key.'),
        description: 'Spreading rules.',
      },
      schedulerName: s('Which scheduler places the pod. Defaults to default-scheduler.'),
      priorityClassName: s('The PriorityClass of the pod.'),
      volumes: {
        type: 'array',
        items: open('A named volume source.'),
        description: 'Volumes the containers may mount.',
      },
      enableServiceLinks: b('Whether Service environment variables are injected. Defaults to true.'),
    },
    ['containers'],
  ),
  [`${core}.Container`]: obj(
    'One container of a pod.',
    {
      name: s('Name of the container, unique in the pod (DNS label).'),
      image: s('Container image reference.'),
      imagePullPolicy: s('Always, Never or IfNotPresent (default depends on the tag).'),
      command: strings("Entrypoint; replaces the image's ENTRYPOINT."),
      args: strings("Arguments; replace the image's CMD."),
      workingDir: s('Working directory of the process.'),
      env: { type: 'array', items: open('A name and a value or a source.'), description: 'Environment variables.' },
      ports: list(`${core}.ContainerPort`, 'Ports the container exposes (informational).'),
      resources: open('Requests and limits of compute resources.'),
      readinessProbe: ref(`${core}.Probe`, 'Probe whose success marks the container ready for traffic.'),
      livenessProbe: ref(`${core}.Probe`, 'Probe whose failure restarts the container.'),
      startupProbe: ref(`${core}.Probe`, 'Probe that must succeed before the others run.'),
      securityContext: open('Container-level security attributes.'),
      volumeMounts: {
        type: 'array',
        items: open('A volume at a path.'),
        description: 'Volumes mounted into the container.',
      },
      terminationMessagePath: s('File the container may write its termination message to.'),
      terminationMessagePolicy: s('File or FallbackToLogsOnError.'),
    },
    ['name'],
  ),
  [`${core}.ContainerPort`]: obj(
    'A port of a container.',
    {
      name: s('Name a Service can refer to (IANA_SVC_NAME).'),
      containerPort: i('Port number on the pod IP.'),
      protocol: s('TCP (default), UDP or SCTP.'),
      hostPort: i("Port on the node's IP, if any."),
    },
    ['containerPort'],
  ),
  [`${core}.Probe`]: obj('A check the kubelet runs against a container.', {
    httpGet: open('HTTP GET to path, port, host, scheme (path defaults to /, scheme to HTTP).'),
    tcpSocket: open('TCP connect to a port.'),
    exec: open('A command run in the container.'),
    grpc: open('A gRPC health check.'),
    initialDelaySeconds: i('Seconds after start before the first probe.'),
    periodSeconds: i('Seconds between probes. Defaults to 10.'),
    timeoutSeconds: i('Seconds after which a probe times out. Defaults to 1.'),
    successThreshold: i('Consecutive successes to count as success after a failure. Defaults to 1.'),
    failureThreshold: i('Consecutive failures to count as failure. Defaults to 3.'),
    terminationGracePeriodSeconds: {
      type: 'integer',
      format: 'int64',
      description: 'Grace period after a failed liveness probe.',
    },
  }),
  [`${core}.PodStatus`]: obj('Observed state of a pod.', {
    phase: s('Pending, Running, Succeeded, Failed or Unknown.'),
    conditions: {
      type: 'array',
      items: open('A condition.'),
      description: 'PodScheduled, Initialized, ContainersReady, Ready.',
    },
    hostIP: s('IP of the node the pod runs on.'),
    podIP: s('IP of the pod.'),
    podIPs: { type: 'array', items: open('An IP of the pod.'), description: 'IPs of the pod, one per family.' },
    startTime: s('When the kubelet acknowledged the pod.'),
    containerStatuses: { type: 'array', items: open('State of a container.'), description: 'Per-container state.' },
    qosClass: s('Guaranteed, Burstable or BestEffort.'),
  }),
  [`${core}.ServicePort`]: obj(
    'A port a Service exposes.',
    {
      name: s('Name of the port; required when there are several.'),
      protocol: s('TCP (default), UDP or SCTP.'),
      port: i('Port the Service listens on.'),
      targetPort: intOrString('Port (number or name) on the pods.'),
      nodePort: i('Port on every node (NodePort and LoadBalancer types).'),
      appProtocol: s('Application protocol hint.'),
    },
    ['port'],
  ),
};

const workloadStatus = (what: string) =>
  obj(`Observed state of the ${what}.`, {
    observedGeneration: { type: 'integer', format: 'int64', description: 'The generation last acted on.' },
    replicas: i('Pods (or desired pods) counted by the controller.'),
    readyReplicas: i('Pods that are ready.'),
    availableReplicas: i('Pods ready for at least minReadySeconds.'),
    conditions: { type: 'array', items: open('A condition.'), description: 'Latest observations.' },
  });

/** The schema of each served kind (by `group/version/Kind`); kinds not listed get a generic one. */
export const kindSchemas: Record<string, JsonSchema> = {
  'v1/Pod': kindSchema('A group of containers that run together on one node.', {
    spec: ref(`${core}.PodSpec`, 'Desired state of the pod.'),
    status: ref(`${core}.PodStatus`, 'Observed state of the pod (read-only).'),
  }),
  'v1/Service': kindSchema('A stable virtual address and name for a set of pods.', {
    spec: obj('Desired state of the Service.', {
      type: s('ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
      selector: map('Pods whose labels match receive the traffic.'),
      ports: list(`${core}.ServicePort`, 'Ports the Service exposes.'),
      clusterIP: s('Virtual IP of the Service, allocated from the service CIDR; None for headless.'),
      clusterIPs: strings('Virtual IPs, one per family.'),
      sessionAffinity: s('None (default) or ClientIP.'),
      externalTrafficPolicy: s('Cluster (default) or Local, for NodePort/LoadBalancer traffic.'),
      internalTrafficPolicy: s('Cluster (default) or Local, for in-cluster traffic.'),
      ipFamilies: strings('IPv4 and/or IPv6.'),
      ipFamilyPolicy: s('SingleStack, PreferDualStack or RequireDualStack.'),
    }),
    status: open('Observed state of the Service (load balancer).'),
  }),
  'v1/ConfigMap': kindSchema('Non-secret configuration data.', {
    data: map('UTF-8 values by key.'),
    binaryData: map('Base64-encoded binary values by key.'),
    immutable: b('Whether the data can no longer change.'),
  }),
  'v1/Secret': kindSchema('Secret data, stored base64-encoded (and encrypted at rest when configured).', {
    data: map('Base64-encoded values by key.'),
    stringData: map('Write-only plain values, merged into data.'),
    type: s('Opaque (default), kubernetes.io/dockerconfigjson, kubernetes.io/tls, ...'),
    immutable: b('Whether the data can no longer change.'),
  }),
  'v1/Namespace': kindSchema('A scope for names and policies.', {
    spec: obj('Desired state of the namespace.', { finalizers: strings('What must finish before removal.') }),
    status: obj('Observed state of the namespace.', { phase: s('Active or Terminating.') }),
  }),
  'v1/Node': kindSchema('A machine that runs pods.', {
    spec: obj('Desired state of the node.', {
      podCIDR: s('Pod IP range assigned to the node.'),
      podCIDRs: strings('Pod IP ranges, one per family.'),
      unschedulable: b('Whether new pods may be placed here (kubectl cordon).'),
      taints: {
        type: 'array',
        items: open('A taint.'),
        description: 'Taints repelling pods that do not tolerate them.',
      },
      providerID: s('ID of the machine at its provider.'),
    }),
    status: open('Observed state of the node: conditions, addresses, capacity, node info.'),
  }),
  'v1/ServiceAccount': kindSchema('An identity for processes in pods.', {
    secrets: { type: 'array', items: open('A Secret by name.'), description: 'Legacy token Secrets.' },
    imagePullSecrets: {
      type: 'array',
      items: open('A Secret by name.'),
      description: 'Secrets pods use to pull images.',
    },
    automountServiceAccountToken: b('Whether pods mount a token by default.'),
  }),
  'apps/v1/Deployment': kindSchema('Declarative updates of pods through ReplicaSets.', {
    spec: obj(
      'Desired state of the Deployment.',
      {
        replicas: i('Number of desired pods. Defaults to 1.'),
        selector: ref(`${meta}.LabelSelector`, 'Which pods belong to the Deployment; must match the template.'),
        template: ref(`${core}.PodTemplateSpec`, 'The pods to run.'),
        strategy: obj('How old pods are replaced.', {
          type: s('RollingUpdate (default) or Recreate.'),
          rollingUpdate: obj('Bounds of a rolling update.', {
            maxSurge: intOrString('Pods above replicas during an update (default 25%).'),
            maxUnavailable: intOrString('Pods below replicas during an update (default 25%).'),
          }),
        }),
        minReadySeconds: i('Seconds a pod must be ready to count as available.'),
        revisionHistoryLimit: i('Old ReplicaSets kept for rollback. Defaults to 10.'),
        progressDeadlineSeconds: i('Seconds before a stalled rollout is reported. Defaults to 600.'),
        paused: b('Whether rollouts are paused.'),
      },
      ['selector', 'template'],
    ),
    status: workloadStatus('Deployment'),
  }),
  'apps/v1/ReplicaSet': kindSchema('Keeps a number of identical pods running.', {
    spec: obj(
      'Desired state of the ReplicaSet.',
      {
        replicas: i('Number of desired pods. Defaults to 1.'),
        selector: ref(`${meta}.LabelSelector`, 'Which pods belong to the ReplicaSet.'),
        template: ref(`${core}.PodTemplateSpec`, 'The pods to create.'),
        minReadySeconds: i('Seconds a pod must be ready to count as available.'),
      },
      ['selector'],
    ),
    status: workloadStatus('ReplicaSet'),
  }),
  'apps/v1/DaemonSet': kindSchema('Runs one copy of a pod on every (selected) node.', {
    spec: obj(
      'Desired state of the DaemonSet.',
      {
        selector: ref(`${meta}.LabelSelector`, 'Which pods belong to the DaemonSet.'),
        template: ref(`${core}.PodTemplateSpec`, 'The pod to run on each node.'),
        updateStrategy: obj('How pods are replaced when the template changes.', {
          type: s('RollingUpdate (default) or OnDelete.'),
          rollingUpdate: open('maxUnavailable and maxSurge for RollingUpdate.'),
        }),
        minReadySeconds: i('Seconds a pod must be ready to count as available.'),
        revisionHistoryLimit: i('Old ControllerRevisions to keep. Defaults to 10.'),
      },
      ['selector', 'template'],
    ),
    status: open('Observed state: scheduled, ready, available and misscheduled pod counts.'),
  }),
  'coordination.k8s.io/v1/Lease': kindSchema('A lock held by a holder for a time (node heartbeats, leader election).', {
    spec: obj('The lease itself.', {
      holderIdentity: s('Who holds the lease.'),
      leaseDurationSeconds: i('Seconds the holder may go without renewing before others may take the lease.'),
      acquireTime: s('When the current holder acquired the lease (RFC 3339, microseconds).'),
      renewTime: s('When the holder last renewed the lease (RFC 3339, microseconds).'),
      leaseTransitions: i('How many times the lease changed holders.'),
      strategy: s('Coordinated leader election strategy (alpha).'),
      preferredHolder: s('Holder the coordinated leader election prefers (alpha).'),
    }),
  }),
  'discovery.k8s.io/v1/EndpointSlice': kindSchema("A subset of a Service's endpoints.", {
    addressType: s('IPv4, IPv6 or FQDN.'),
    endpoints: {
      type: 'array',
      items: open('One endpoint: addresses, conditions (ready, serving, terminating), nodeName, targetRef.'),
      description: 'The endpoints of the slice.',
    },
    ports: {
      type: 'array',
      items: obj('A port of the endpoints.', {
        name: s('Name of the port (the Service port it belongs to).'),
        port: i('Port number.'),
        protocol: s('TCP (default), UDP or SCTP.'),
        appProtocol: s('Application protocol of the port.'),
      }),
      description: 'Ports every endpoint of the slice serves.',
    },
  }),
  ...rbacSchemas(),
};

function rbacSchemas(): Record<string, JsonSchema> {
  const rule = obj('Verbs allowed on resources or non-resource URLs.', {
    verbs: strings('Verbs allowed (get, list, create, ..., or *).'),
    apiGroups: strings('API groups of the resources ("" for core).'),
    resources: strings('Resources, subresources as resource/subresource.'),
    resourceNames: strings('Object names the rule is limited to.'),
    nonResourceURLs: strings('Paths such as /healthz (ClusterRoles only).'),
  });
  const rules = { type: 'array', items: rule, description: 'The rules of the role.' };
  const subjects = {
    type: 'array',
    items: obj('Who the binding grants the role to.', {
      kind: s('User, Group or ServiceAccount.'),
      apiGroup: s('rbac.authorization.k8s.io for users and groups, "" for service accounts.'),
      name: s('Name of the subject.'),
      namespace: s('Namespace of a ServiceAccount subject.'),
    }),
    description: 'The subjects the role is granted to.',
  };
  const roleRef = obj('The role granted (cannot change once set).', {
    apiGroup: s('rbac.authorization.k8s.io.'),
    kind: s('Role or ClusterRole.'),
    name: s('Name of the role.'),
  });
  const group = 'rbac.authorization.k8s.io/v1';
  return {
    [`${group}/Role`]: kindSchema('Permissions within a namespace.', { rules }),
    [`${group}/ClusterRole`]: kindSchema('Permissions cluster-wide or in namespaces through RoleBindings.', {
      rules,
      aggregationRule: open('Label selectors of ClusterRoles whose rules are aggregated into this one.'),
    }),
    [`${group}/RoleBinding`]: kindSchema('Grants a Role or ClusterRole within a namespace.', { subjects, roleRef }),
    [`${group}/ClusterRoleBinding`]: kindSchema('Grants a ClusterRole cluster-wide.', { subjects, roleRef }),
  };
}

/** A kind the table does not describe: typed metadata, everything else open. */
export function genericKindSchema(kind: string): JsonSchema {
  return {
    ...kindSchema(`${kind} (the simulated cluster describes only its metadata).`, {}),
    'x-kubernetes-preserve-unknown-fields': true,
  };
}
