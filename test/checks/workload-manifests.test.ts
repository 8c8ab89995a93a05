import { describe, expect, it } from 'vitest';
import { AuditOptions } from '../../src/checks/options.js';
import { runSecrets } from '../../src/engine/run-secrets.js';
import { publicOptions } from '../../src/engine/service/public-options.js';
import { sanitizeKubeconfig } from '../../src/kube/kubeconfig/sanitize.js';
import {
  clientPod,
  namespaceManifest,
  pullSecretManifest,
  restartProbePod,
  webDeployment,
} from '../../src/workload/manifests.js';
import { workloadHandle } from '../../src/workload/names.js';
import { kubeconfigYaml } from '../service/kubeconfigs.js';

const runId = '0b6f4c1e-8d0a-4c55-9a8e-2f1d3c4b5a69';
const w = workloadHandle(runId, 3);
const defaults = AuditOptions.parse({});
const dockerConfig = JSON.stringify({ auths: { 'mirror.example:5000': { auth: 'dXNlcjpzM2NyZXQtcHVsbA==' } } });
const withPullSecret = AuditOptions.parse({
  images: {
    web: 'mirror.example:5000/agnhost:2.52',
    client: 'mirror.example:5000/busybox:1.36',
    pullSecret: dockerConfig,
  },
});

type Container = { image: string; args?: string[]; resources: { requests: { cpu: string; memory: string } } };
const containersOf = (podSpec: { containers: Container[] }) => podSpec.containers;
const millicores = (cpu: string) => (cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
const mebibytes = (memory: string) => Number(memory.replace(/Mi$/, ''));

/**
 * The Pod Security `restricted` rules a pod spec breaks, as pod-security-admission checks them
 * (kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy: runAsNonRoot,
 * runAsUser, allowPrivilegeEscalation, capabilities_restricted, seccompProfile_restricted,
 * privileged, hostNamespaces, hostPorts).
 */
// biome-ignore lint/suspicious/noExplicitAny: a pod spec read by path, as the admission plugin does
function restrictedViolations(spec: any): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('host namespaces');
  for (const c of spec.containers ?? []) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation != false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities.drop lacks ALL`);
    for (const add of sc.capabilities?.add ?? []) if (add !== 'NET_BIND_SERVICE') out.push(`${c.name}: adds ${add}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot != true`);
    const uid = sc.runAsUser ?? pod.runAsUser;
    if (uid === 0) out.push(`${c.name}: runAsUser=0`);
    if (typeof uid !== 'number') out.push(`${c.name}: no numeric runAsUser (the kubelet cannot verify a named user)`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${c.name}: seccompProfile`);
    if ((c.ports ?? []).some((p: { hostPort?: number }) => p.hostPort)) out.push(`${c.name}: hostPort`);
  }
  return out;
}

describe('the in-cluster workload', () => {
  it('lives in kubeproof-<short id>, labelled as kubeproof’s with the run id, an expiry and a heartbeat', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const heartbeatAt = new Date('2029-12-31T22:00:00Z');
    const ns = namespaceManifest(w, expiresAt, undefined, heartbeatAt);
    expect(ns.metadata).toEqual({
      name: 'kubeproof-0b6f4c1e',
      labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': runId },
      annotations: {
        'kubeproof.io/expires-at': '2030-01-01T00:00:00.000Z',
        'kubeproof.io/heartbeat': '2029-12-31T22:00:00.000Z',
      },
    });
  });

  it('serves only /hostname from agnhost, so /shell, /upload and /exit are never reachable through the NodePort', () => {
    const [web] = containersOf(webDeployment(w, defaults).spec.template.spec);
    expect(web?.args).toContain('--http-override=/hostname');
    expect(web?.args?.[0]).toBe('netexec');
  });

  it('asks for small resources in every pod', () => {
    const pods = [
      webDeployment(w, defaults).spec.template.spec,
      clientPod(w, defaults).spec,
      restartProbePod(w, defaults).spec,
    ];
    for (const container of pods.flatMap(containersOf)) {
      expect(millicores(container.resources.requests.cpu), JSON.stringify(container)).toBeLessThanOrEqual(50);
      expect(mebibytes(container.resources.requests.memory), JSON.stringify(container)).toBeLessThanOrEqual(64);
    }
  });

  it('meets Pod Security `restricted` in every pod (the rules of pod-security-admission policy/check_*.go)', () => {
    const pods = [
      webDeployment(w, defaults).spec.template.spec,
      clientPod(w, defaults).spec,
      restartProbePod(w, defaults).spec,
    ];
    for (const spec of pods) expect(restrictedViolations(spec), JSON.stringify(spec)).toEqual([]);
  });

  it('sets requests and limits (cpu and memory) on every container, and selects Linux nodes', () => {
    const pods = [
      webDeployment(w, defaults).spec.template.spec,
      clientPod(w, defaults).spec,
      restartProbePod(w, defaults).spec,
    ];
    for (const spec of pods) {
      expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      for (const c of spec.containers) {
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it("adds the operator's namespace and pod labels, annotations, tolerations, node selector and priority class; kubeproof's own labels win", () => {
    const options = AuditOptions.parse({
      namespace: {
        labels: { team: 'sre', 'app.kubernetes.io/managed-by': 'someone-else' },
        annotations: { note: 'x' },
      },
      pods: {
        labels: { 'cost-center': 'c42', app: 'not-web' },
        annotations: { 'sidecar.istio.io/inject': 'false' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'audit', effect: 'NoSchedule' }],
        nodeSelector: { pool: 'audit', 'kubernetes.io/os': 'windows' },
        priorityClassName: 'audit-low',
      },
    });
    const extras = typeof options.namespace === 'string' ? undefined : options.namespace;
    const ns = namespaceManifest(w, new Date(), extras);
    expect(ns.metadata?.labels).toMatchObject({ team: 'sre', 'app.kubernetes.io/managed-by': 'kubeproof' });
    expect(ns.metadata?.annotations).toMatchObject({ note: 'x' });
    const template = webDeployment(w, options).spec.template;
    expect(template.metadata.labels).toMatchObject({ 'cost-center': 'c42', app: 'web' });
    for (const pod of [template, clientPod(w, options), restartProbePod(w, options)]) {
      const spec = pod.spec;
      expect(pod.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
      expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'audit', effect: 'NoSchedule' }]);
      expect(spec.nodeSelector).toEqual({ pool: 'audit', 'kubernetes.io/os': 'linux' });
      expect(spec.priorityClassName).toBe('audit-low');
    }
  });

  it('refuses label keys and values the API server would refuse, and unknown pod options', () => {
    expect(AuditOptions.safeParse({ pods: { labels: { 'bad key': 'x' } } }).success).toBe(false);
    expect(AuditOptions.safeParse({ namespace: { labels: { ok: 'bad value!' } } }).success).toBe(false);
    expect(AuditOptions.safeParse({ pods: { tolerations: [{ effect: 'Sometimes' }] } }).success).toBe(false);
    expect(AuditOptions.safeParse({ pods: { hostNetwork: true } }).success).toBe(false);
    expect(AuditOptions.safeParse({ pods: { priorityClassName: 'Not_DNS' } }).success).toBe(false);
  });

  it('uses the configured images and, with registry credentials, references them from every pod', () => {
    const specs = [
      webDeployment(w, withPullSecret).spec.template.spec,
      clientPod(w, withPullSecret).spec,
      restartProbePod(w, withPullSecret).spec,
    ];
    expect(specs.flatMap(containersOf).map((c) => c.image)).toEqual([
      'mirror.example:5000/agnhost:2.52',
      'mirror.example:5000/busybox:1.36',
      'mirror.example:5000/busybox:1.36',
    ]);
    for (const spec of specs) expect(spec.imagePullSecrets).toEqual([{ name: 'kubeproof-pull' }]);
    expect(pullSecretManifest(w, dockerConfig)).toMatchObject({
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': dockerConfig },
    });
    expect(clientPod(w, defaults).spec.imagePullSecrets).toBeUndefined();
  });

  it('never shows or stores the registry credentials, and masks them wherever they turn up', () => {
    expect(publicOptions(withPullSecret).images).toEqual({
      web: 'mirror.example:5000/agnhost:2.52',
      client: 'mirror.example:5000/busybox:1.36',
      pullSecret: 'provided',
    });
    const secrets = runSecrets(sanitizeKubeconfig(kubeconfigYaml()).kubeconfig, withPullSecret);
    expect(secrets).toEqual(expect.arrayContaining([dockerConfig, 'dXNlcjpzM2NyZXQtcHVsbA==']));
  });

  it('refuses registry credentials that are not .dockerconfigjson, without quoting them', () => {
    const parsed = AuditOptions.safeParse({ images: { pullSecret: 'user:s3cret-pull' } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).not.toContain('s3cret-pull');
    expect(parsed.error?.issues[0]?.path).toEqual(['images', 'pullSecret']);
  });
});
