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

describe('the in-cluster workload', () => {
  it('lives in kubeproof-<short id>, labelled as kubeproof’s with the run id and an expiry', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const ns = namespaceManifest(w, runId, expiresAt);
    expect(ns.metadata).toEqual({
      name: 'kubeproof-0b6f4c1e',
      labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.io/run-id': runId },
      annotations: { 'kubeproof.io/expires-at': '2030-01-01T00:00:00.000Z' },
    });
  });

  it('serves only /hostname from agnhost, so /shell, /upload and /exit are never reachable through the NodePort', () => {
    const [web] = containersOf(webDeployment(w, defaults.images).spec.template.spec);
    expect(web?.args).toContain('--http-override=/hostname');
    expect(web?.args?.[0]).toBe('netexec');
  });

  it('asks for small resources in every pod', () => {
    const pods = [
      webDeployment(w, defaults.images).spec.template.spec,
      clientPod(w, defaults.images).spec,
      restartProbePod(defaults.images).spec,
    ];
    for (const container of pods.flatMap(containersOf)) {
      expect(millicores(container.resources.requests.cpu), JSON.stringify(container)).toBeLessThanOrEqual(50);
      expect(mebibytes(container.resources.requests.memory), JSON.stringify(container)).toBeLessThanOrEqual(64);
    }
  });

  it('uses the configured images and, with registry credentials, references them from every pod', () => {
    const specs = [
      webDeployment(w, withPullSecret.images).spec.template.spec,
      clientPod(w, withPullSecret.images).spec,
      restartProbePod(withPullSecret.images).spec,
    ];
    expect(specs.flatMap(containersOf).map((c) => c.image)).toEqual([
      'mirror.example:5000/agnhost:2.52',
      'mirror.example:5000/busybox:1.36',
      'mirror.example:5000/busybox:1.36',
    ]);
    for (const spec of specs) expect(spec.imagePullSecrets).toEqual([{ name: 'kubeproof-pull' }]);
    expect(pullSecretManifest(dockerConfig)).toMatchObject({
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': dockerConfig },
    });
    expect(clientPod(w, defaults.images).spec.imagePullSecrets).toBeUndefined();
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
