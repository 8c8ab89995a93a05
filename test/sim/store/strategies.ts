/**
 * Per-resource behaviour of the registry: defaults on create/update, validation, and the
 * allocations Services hold (ClusterIP, NodePorts). One place, used for every write whether
 * it comes over HTTP or from an in-process controller.
 */
import type { KubeObj } from '../contracts.js';
import { familyOf } from '../network/ip.js';
import {
  cidrContains,
  clusterIpAllocator,
  nodePortAllocator,
  nodePortRange,
  wellKnownClusterIp,
} from './allocators.js';
import { type FieldError, invalid } from './errors.js';
import { nameProblem } from './names.js';
import { admitNewPod, defaultPodSpec } from './pod-defaults.js';
import { validateRbacObject } from './rbac-validation.js';
import type { ResourceDef } from './resources.js';
import { labelSelectorObjectMatcher } from './selectors.js';

// biome-ignore lint/suspicious/noExplicitAny: objects are open JSON as on the wire
type Json = any;

export interface StrategyOptions {
  serviceCidr: string;
  /** The other family's service CIDR on a dual-stack cluster. */
  secondaryServiceCidr?: string;
}

export interface Strategies {
  /** Fills defaults and allocations on a new object; throws 422 when invalid. */
  prepareCreate(def: ResourceDef, obj: KubeObj): void;
  /** Carries server-owned values over from the stored object and validates the result. */
  prepareUpdate(def: ResourceDef, obj: KubeObj, old: KubeObj): void;
  /** Releases what a deleted object held. */
  released(def: ResourceDef, obj: KubeObj): void;
}

/** Names that are DNS labels rather than subdomains. */
const labelNamed = new Set(['namespaces', 'services']);

/**
 * RBAC objects are named by path segment only (ValidateRBACName = path.IsValidPathSegmentName:
 * not `.` or `..`, no `/` or `%`), which is why `system:discovery` is a valid name.
 */
function rbacNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`;
  return undefined;
}

function validateName(def: ResourceDef, obj: KubeObj): FieldError[] {
  const problem =
    def.group === 'rbac.authorization.k8s.io'
      ? rbacNameProblem(obj.metadata.name)
      : nameProblem(obj.metadata.name, labelNamed.has(def.plural));
  return problem
    ? [{ type: 'FieldValueInvalid', field: 'metadata.name', value: obj.metadata.name, detail: problem }]
    : [];
}

function validatePodSpec(spec: Json, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const containers: Json[] = spec?.containers ?? [];
  if (containers.length === 0) errors.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  containers.forEach((c, i) => {
    if (!c.name) errors.push({ type: 'FieldValueRequired', field: `${path}.containers[${i}].name` });
    if (!c.image) errors.push({ type: 'FieldValueRequired', field: `${path}.containers[${i}].image` });
  });
  return errors;
}

function validateWorkload(obj: Json): FieldError[] {
  const errors: FieldError[] = [];
  const selector = obj.spec?.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    errors.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  } else {
    const labels = obj.spec?.template?.metadata?.labels ?? {};
    if (!labelSelectorObjectMatcher(selector)({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '', labels } })) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        value: labels,
        detail: '`selector` does not match template `labels`',
      });
    }
  }
  if (typeof obj.spec?.replicas === 'number' && obj.spec.replicas < 0) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      value: obj.spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
  return [...errors, ...validatePodSpec(obj.spec?.template?.spec, 'spec.template.spec')];
}

function defaultWorkload(def: ResourceDef, obj: Json): void {
  obj.spec ??= {};
  // A DaemonSet has no replica count: one pod per eligible node.
  if (def.plural !== 'daemonsets') obj.spec.replicas ??= 1;
  obj.spec.template ??= {};
  obj.spec.template.metadata ??= {};
  obj.spec.template.metadata.creationTimestamp ??= null;
  obj.spec.template.spec ??= {};
  defaultPodSpec(obj.spec.template.spec);
  if (def.plural === 'deployments') {
    if (!obj.spec.strategy?.type) obj.spec.strategy = { ...(obj.spec.strategy ?? {}), type: 'RollingUpdate' };
    if (obj.spec.strategy.type === 'RollingUpdate') {
      obj.spec.strategy.rollingUpdate = {
        maxUnavailable: '25%',
        maxSurge: '25%',
        ...(obj.spec.strategy.rollingUpdate ?? {}),
      };
    }
    obj.spec.revisionHistoryLimit ??= 10;
    obj.spec.progressDeadlineSeconds ??= 600;
  }
  if (def.plural === 'daemonsets') {
    // apps/v1 defaults (pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet).
    obj.spec.updateStrategy ??= { type: 'RollingUpdate' };
    if (obj.spec.updateStrategy.type === 'RollingUpdate') {
      obj.spec.updateStrategy.rollingUpdate = {
        maxUnavailable: 1,
        maxSurge: 0,
        ...(obj.spec.updateStrategy.rollingUpdate ?? {}),
      };
    }
    obj.spec.revisionHistoryLimit ??= 10;
  }
  obj.status ??= {};
  // ReplicaSetStatus.replicas has no omitempty: a new ReplicaSet reads `status: {replicas: 0}`.
  if (def.plural === 'replicasets') obj.status.replicas ??= 0;
}

export function createStrategies(options: StrategyOptions): Strategies {
  const clusterIps = clusterIpAllocator(options.serviceCidr);
  const secondaryIps = options.secondaryServiceCidr ? clusterIpAllocator(options.secondaryServiceCidr) : undefined;
  const nodePorts = nodePortAllocator();

  function kindOf(def: ResourceDef) {
    return { group: def.group, kind: def.kind };
  }

  function fail(def: ResourceDef, obj: KubeObj, errors: FieldError[]): void {
    if (errors.length > 0) throw invalid(kindOf(def), obj.metadata.name, errors);
  }

  /** The addresses the bootstrap Services always get on a kubeadm cluster. */
  function wellKnownIp(obj: KubeObj): string | undefined {
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    if (key === 'default/kubernetes') return wellKnownClusterIp(options.serviceCidr, 1);
    if (key === 'kube-system/kube-dns') return wellKnownClusterIp(options.serviceCidr, 10);
    return undefined;
  }

  function allocateService(def: ResourceDef, svc: Json, old: Json | undefined): void {
    const spec = svc.spec;
    const errors: FieldError[] = [];
    const isNew = !old;
    if (spec.clusterIP !== 'None') {
      if (old?.spec?.clusterIP) {
        spec.clusterIP = old.spec.clusterIP;
      } else if (spec.clusterIP) {
        if (!cidrContains(options.serviceCidr, spec.clusterIP)) {
          errors.push({
            type: 'FieldValueInvalid',
            field: 'spec.clusterIPs',
            value: [spec.clusterIP],
            detail: `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${options.serviceCidr}`,
          });
        } else if (!clusterIps.reserve(spec.clusterIP)) {
          errors.push({
            type: 'FieldValueInvalid',
            field: 'spec.clusterIPs',
            value: [spec.clusterIP],
            detail: `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`,
          });
        }
      } else {
        const known = wellKnownIp(svc);
        spec.clusterIP = known && clusterIps.reserve(known) ? known : clusterIps.next();
      }
    }
    spec.clusterIPs = [spec.clusterIP];
    // Dual-stack clusters: a Service asking for both families gets a ClusterIP of each, primary first.
    const wantsBoth = spec.ipFamilyPolicy === 'PreferDualStack' || spec.ipFamilyPolicy === 'RequireDualStack';
    if (secondaryIps && options.secondaryServiceCidr && wantsBoth && spec.clusterIP && spec.clusterIP !== 'None') {
      const second: string = old?.spec?.clusterIPs?.[1] ?? secondaryIps.next();
      spec.clusterIPs = [spec.clusterIP, second];
      spec.ipFamilies = spec.clusterIPs.map((ip: string) => familyOf(ip));
    }
    const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    (spec.ports ?? []).forEach((p: Json, i: number) => {
      const oldPort = old?.spec?.ports?.find((o: Json) => o.port === p.port && o.nodePort);
      if (!wantsNodePorts) {
        delete p.nodePort;
        return;
      }
      if (oldPort && (!p.nodePort || p.nodePort === oldPort.nodePort)) {
        p.nodePort = oldPort.nodePort;
        return;
      }
      if (p.nodePort) {
        if (p.nodePort < nodePortRange.min || p.nodePort > nodePortRange.max) {
          errors.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].nodePort`,
            value: p.nodePort,
            detail: `provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`,
          });
        } else if (!nodePorts.reserve(p.nodePort)) {
          errors.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].nodePort`,
            value: p.nodePort,
            detail: 'provided port is already allocated',
          });
        }
      } else p.nodePort = nodePorts.next();
    });
    if (
      errors.length > 0 &&
      isNew &&
      spec.clusterIP &&
      spec.clusterIP !== 'None' &&
      !errors.some((e) => e.field === 'spec.clusterIPs')
    ) {
      clusterIps.release(spec.clusterIP);
    }
    fail(def, svc, errors);
  }

  function defaultService(svc: Json): void {
    svc.spec ??= {};
    const spec = svc.spec;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    // Single-stack: the family of the service CIDR (IPv6 on an IPv6 cluster).
    spec.ipFamilies ??= [familyOf(options.serviceCidr.split('/')[0]!)];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    svc.status ??= { loadBalancer: {} };
  }

  function validateService(def: ResourceDef, svc: Json): void {
    const errors: FieldError[] = [];
    const ports: Json[] = svc.spec.ports ?? [];
    if (ports.length === 0 && svc.spec.clusterIP !== 'None')
      errors.push({ type: 'FieldValueRequired', field: 'spec.ports' });
    ports.forEach((p, i) => {
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)
        errors.push({
          type: 'FieldValueInvalid',
          field: `spec.ports[${i}].port`,
          value: p.port,
          detail: 'must be between 1 and 65535, inclusive',
        });
      if (ports.length > 1 && !p.name) errors.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
    });
    fail(def, svc, errors);
  }

  function prepare(def: ResourceDef, obj: Json, old: Json | undefined): void {
    switch (def.plural) {
      case 'pods':
        if (!old) admitNewPod(obj);
        fail(def, obj, validatePodSpec(obj.spec, 'spec'));
        return;
      case 'deployments':
      case 'replicasets':
      case 'daemonsets':
        defaultWorkload(def, obj);
        fail(def, obj, validateWorkload(obj));
        return;
      case 'services':
        defaultService(obj);
        validateService(def, obj);
        allocateService(def, obj, old);
        return;
      case 'namespaces':
        obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
        obj.spec ??= {};
        if (!old) obj.spec.finalizers ??= ['kubernetes'];
        obj.status ??= {};
        obj.status.phase ??= 'Active';
        return;
      case 'roles':
      case 'clusterroles':
      case 'rolebindings':
      case 'clusterrolebindings':
        if (def.group === 'rbac.authorization.k8s.io') fail(def, obj, validateRbacObject(def.plural, obj, old));
        return;
      case 'secrets':
        obj.type ??= 'Opaque';
        if (obj.stringData) {
          obj.data = { ...(obj.data ?? {}) };
          for (const [k, v] of Object.entries(obj.stringData as Record<string, string>))
            obj.data[k] = Buffer.from(v).toString('base64');
          delete obj.stringData;
        }
        return;
    }
  }

  return {
    prepareCreate(def, obj) {
      fail(def, obj, validateName(def, obj));
      prepare(def, obj, undefined);
    },
    prepareUpdate(def, obj, old) {
      prepare(def, obj, old);
    },
    released(def, obj) {
      if (def.plural !== 'services') return;
      const spec = (obj as Json).spec ?? {};
      if (spec.clusterIP && spec.clusterIP !== 'None') clusterIps.release(spec.clusterIP);
      for (const p of spec.ports ?? []) if (p.nodePort) nodePorts.release(p.nodePort);
    },
  };
}
