/**
 * Pod Security admission (kubernetes/kubernetes staging/src/k8s.io/pod-security-admission):
 * the namespace's `pod-security.kubernetes.io/{enforce,audit,warn}` labels, or the
 * AdmissionConfiguration defaults when a label is absent, choose a level; a pod create that
 * fails the enforce level is refused 403 with `violates PodSecurity "<level>:<version>": ...`
 * (admission.go EvaluatePod; v1.32 wraps it in NewForbidden → `pods "<name>" is forbidden: ...`,
 * newer releases say `pod violates ...`), a pod or pod controller failing the warn level gets
 * `would violate PodSecurity "...": ...` as a response warning. The detail is
 * policy.AggregateCheckResult.ForbiddenDetail(): `<reason> (<detail>)` per failed check, joined
 * with ", ", checks in ID order. The checks and their texts follow policy/check_*.go.
 */
import type { KubeObj } from '../contracts.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface PodSecurityDefaults {
  enforce: PodSecurityLevel;
  audit: PodSecurityLevel;
  warn: PodSecurityLevel;
  /** Namespaces exempt from every level (AdmissionConfiguration exemptions.namespaces). */
  exemptNamespaces: string[];
}

export const upstreamDefaults: PodSecurityDefaults = {
  enforce: 'privileged',
  audit: 'privileged',
  warn: 'privileged',
  exemptNamespaces: [],
};

// biome-ignore lint/suspicious/noExplicitAny: pod specs are open JSON, as on the wire
type Json = any;

interface CheckResult {
  reason: string;
  detail: string;
}

interface Check {
  id: string;
  level: Exclude<PodSecurityLevel, 'privileged'>;
  run(spec: Json): CheckResult | undefined;
}

const allContainers = (spec: Json): Json[] => [
  ...(spec.initContainers ?? []),
  ...(spec.containers ?? []),
  ...(spec.ephemeralContainers ?? []),
];

/** `container "a"` / `containers "a", "b"` as the checks name them. */
function containerList(names: string[], singular = 'container', plural = 'containers'): string {
  const quoted = names.map((n) => JSON.stringify(n)).join(', ');
  return `${names.length === 1 ? singular : plural} ${quoted}`;
}

const allowedRestrictedVolumes = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const checks: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    run(spec) {
      const bad = allContainers(spec)
        .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
        .map((c) => c.name);
      if (bad.length === 0) return undefined;
      return {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      };
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    run(spec) {
      const noDrop: string[] = [];
      const adds: string[] = [];
      for (const c of allContainers(spec)) {
        const caps = c.securityContext?.capabilities ?? {};
        if (!(caps.drop ?? []).includes('ALL')) noDrop.push(c.name);
        const extra = (caps.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
        if (extra.length > 0) {
          adds.push(
            `${containerList([c.name])} must not include ${extra.map((a: string) => JSON.stringify(a)).join(', ')} in securityContext.capabilities.add`,
          );
        }
      }
      if (noDrop.length === 0 && adds.length === 0) return undefined;
      const details = [
        ...(noDrop.length ? [`${containerList(noDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
        ...adds,
      ];
      return { reason: 'unrestricted capabilities', detail: details.join('; ') };
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run(spec) {
      const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => spec[k] === true).map((k) => `${k}=true`);
      return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    run(spec) {
      const names = (spec.volumes ?? []).filter((v: Json) => v.hostPath).map((v: Json) => v.name);
      return names.length
        ? { reason: 'hostPath volumes', detail: containerList(names, 'volume', 'volumes') }
        : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run(spec) {
      const uses: string[] = [];
      for (const c of allContainers(spec)) {
        const ports = (c.ports ?? [])
          .map((p: Json) => p.hostPort)
          .filter((p: unknown) => typeof p === 'number' && p > 0);
        if (ports.length)
          uses.push(
            `${containerList([c.name])} uses ${ports.length === 1 ? 'hostPort' : 'hostPorts'} ${ports.join(', ')}`,
          );
      }
      return uses.length ? { reason: 'hostPort', detail: uses.join('; ') } : undefined;
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    run(spec) {
      const bad = allContainers(spec)
        .filter((c) => c.securityContext?.privileged === true)
        .map((c) => c.name);
      return bad.length
        ? { reason: 'privileged', detail: `${containerList(bad)} must not set securityContext.privileged=true` }
        : undefined;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    run(spec) {
      const bad: string[] = [];
      for (const v of spec.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== 'name');
        if (type && !allowedRestrictedVolumes.has(type))
          bad.push(`volume ${JSON.stringify(v.name)} uses restricted volume type ${JSON.stringify(type)}`);
      }
      return bad.length ? { reason: 'restricted volume types', detail: bad.join('; ') } : undefined;
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run(spec) {
      const podSet = spec.securityContext?.runAsNonRoot;
      if (podSet === false)
        return { reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false' };
      const explicitFalse = allContainers(spec)
        .filter((c) => c.securityContext?.runAsNonRoot === false)
        .map((c) => c.name);
      if (explicitFalse.length) {
        return {
          reason: 'runAsNonRoot != true',
          detail: `${containerList(explicitFalse)} must not set securityContext.runAsNonRoot=false`,
        };
      }
      if (podSet === true) return undefined;
      const unset = allContainers(spec)
        .filter((c) => c.securityContext?.runAsNonRoot !== true)
        .map((c) => c.name);
      return unset.length
        ? {
            reason: 'runAsNonRoot != true',
            detail: `pod or ${containerList(unset)} must set securityContext.runAsNonRoot=true`,
          }
        : undefined;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    run(spec) {
      const details: string[] = [];
      if (spec.securityContext?.runAsUser === 0) details.push('pod must not set runAsUser=0');
      const bad = allContainers(spec)
        .filter((c) => c.securityContext?.runAsUser === 0)
        .map((c) => c.name);
      if (bad.length) details.push(`${containerList(bad)} must not set runAsUser=0`);
      return details.length ? { reason: 'runAsUser=0', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    run(spec) {
      const ok = (p: Json) => p?.type === 'RuntimeDefault' || p?.type === 'Localhost';
      const podOk = ok(spec.securityContext?.seccompProfile);
      const bad = allContainers(spec)
        .filter((c) => (c.securityContext?.seccompProfile ? !ok(c.securityContext.seccompProfile) : !podOk))
        .map((c) => c.name);
      if (bad.length === 0) return undefined;
      return {
        reason: 'seccompProfile',
        detail: `${podOk ? '' : 'pod or '}${containerList(bad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      };
    },
  },
];

const rank: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** ForbiddenDetail of a pod spec at a level, or undefined when it passes. */
export function podSecurityViolations(level: PodSecurityLevel, spec: Json): string | undefined {
  const failed = checks
    .filter((c) => rank[c.level] <= rank[level])
    .map((c) => c.run(spec ?? {}))
    .filter((r): r is CheckResult => r !== undefined);
  if (failed.length === 0) return undefined;
  return failed.map((r) => (r.detail ? `${r.reason} (${r.detail})` : r.reason)).join(', ');
}

/** The namespace's effective levels: its labels, else the defaults. Exempt namespaces are privileged. */
export function namespacePolicy(namespace: KubeObj | undefined, defaults: PodSecurityDefaults) {
  const labels = namespace?.metadata.labels ?? {};
  const exempt = defaults.exemptNamespaces.includes(namespace?.metadata.name ?? '');
  const level = (mode: 'enforce' | 'audit' | 'warn'): PodSecurityLevel => {
    if (exempt) return 'privileged';
    const value = labels[`pod-security.kubernetes.io/${mode}`];
    return value === 'privileged' || value === 'baseline' || value === 'restricted' ? value : defaults[mode];
  };
  const version = (mode: string) => labels[`pod-security.kubernetes.io/${mode}-version`] ?? 'latest';
  return {
    enforce: { level: level('enforce'), version: version('enforce') },
    warn: { level: level('warn'), version: version('warn') },
  };
}

/** The pod template inside a pod controller (ValidatePodController's PodSpecExtractor). */
export function podSpecOf(resource: string, obj: KubeObj): Json | undefined {
  if (resource === 'pods') return obj.spec;
  if (resource === 'cronjobs') return obj.spec?.jobTemplate?.spec?.template?.spec;
  if (
    ['deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs', 'replicationcontrollers'].includes(resource)
  ) {
    return obj.spec?.template?.spec;
  }
  return undefined;
}
