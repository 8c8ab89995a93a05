/**
 * The image registries the simulated nodes can reach, and what containerd's CRI image service
 * answers a pull with (the errors as the kubelet passes them on: `rpc error: code = <code> desc =
 * failed to pull and unpack image "<ref>": failed to resolve reference "<ref>": <cause>`).
 *
 * - Public registries (docker.io, registry.k8s.io, quay.io, ghcr.io, gcr.io, ...) serve the
 *   repositories in KNOWN_REPOSITORIES (the images the sim emulates, and common ones), any tag.
 *   An unknown repository is `not found` (Docker Hub: `pull access denied ...`, its answer for
 *   a repository that does not exist or is private).
 * - `registry.sim.test` is a private registry (basic auth, like distribution's registry:2):
 *   without the right credentials in the pod's image pull secrets it answers `401 Unauthorized`.
 * - Any other host does not resolve (`lookup <host> ... no such host`); localhost or an IP
 *   refuses the connection.
 * Nothing is dialled: the sim never leaves loopback.
 */
import { normalizeImage } from './images.js';

export const PRIVATE_REGISTRY = {
  host: 'registry.sim.test',
  username: 'kubeproof',
  password: 'sim-registry-password',
} as const;

const PUBLIC_REGISTRIES = new Set([
  'docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'quay.io',
  'ghcr.io',
  'gcr.io',
  'public.ecr.aws',
  'mcr.microsoft.com',
]);

/** Last path segment of the repositories that exist (on every reachable registry). */
const KNOWN_REPOSITORIES = new Set([
  'agnhost',
  'busybox',
  'coredns',
  'etcd',
  'pause',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'nginx',
  'alpine',
  'httpd',
  'redis',
  'ubuntu',
  'debian',
  'curl',
  'python',
  'node',
  'postgres',
]);

/** Registry credentials from the pod's pull secrets: host → `user:password`. */
export type RegistryCredentials = Map<string, string>;

export type PullResult = { ok: true } | { ok: false; message: string };

interface Reference {
  normalized: string;
  host: string;
  repository: string;
  tag: string;
}

function parseReference(image: string): Reference {
  const normalized = normalizeImage(image);
  const [host = '', ...rest] = normalized.split('/');
  const path = rest.join('/');
  const at = path.indexOf('@');
  const colon = path.lastIndexOf(':');
  const cut = at >= 0 ? at : colon;
  return {
    normalized,
    host,
    repository: path.slice(0, cut),
    tag: at >= 0 ? path.slice(at) : path.slice(colon + 1),
  };
}

/** What `crictl pull` would end with for this image, given the pod's credentials. */
export function pullImage(image: string, credentials: RegistryCredentials): PullResult {
  const ref = parseReference(image);
  const fail = (code: string, cause: string): PullResult => ({
    ok: false,
    message: `rpc error: code = ${code} desc = failed to pull and unpack image "${ref.normalized}": failed to resolve reference "${ref.normalized}": ${cause}`,
  });
  const apiHost = ref.host === 'docker.io' ? 'registry-1.docker.io' : ref.host;
  const manifest = `https://${apiHost}/v2/${ref.repository}/manifests/${ref.tag}`;
  const hostname = ref.host.replace(/:\d+$/, '');
  if (ref.host === PRIVATE_REGISTRY.host) {
    if (credentials.get(ref.host) !== `${PRIVATE_REGISTRY.username}:${PRIVATE_REGISTRY.password}`) {
      return fail('Unknown', `unexpected status from HEAD request to ${manifest}: 401 Unauthorized`);
    }
  } else if (!PUBLIC_REGISTRIES.has(ref.host)) {
    if (hostname === 'localhost' || /^[\d.]+$/.test(hostname)) {
      const port = ref.host.includes(':') ? ref.host.split(':').pop() : '443';
      const ip = hostname === 'localhost' ? '127.0.0.1' : hostname;
      return fail(
        'Unknown',
        `failed to do request: Head "${manifest}": dial tcp ${ip}:${port}: connect: connection refused`,
      );
    }
    return fail(
      'Unknown',
      `failed to do request: Head "${manifest}": dial tcp: lookup ${hostname} on 127.0.0.53:53: no such host`,
    );
  }
  const name = ref.repository.split('/').pop() ?? '';
  if (KNOWN_REPOSITORIES.has(name)) return { ok: true };
  if (ref.host === 'docker.io') {
    return fail(
      'Unknown',
      'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  }
  return fail('NotFound', `${ref.normalized}: not found`);
}

/**
 * The credentials in `.dockerconfigjson` pull secrets, as the kubelet's keyring reads them:
 * `auths.<host>.auth` (base64 `user:password`) or `username`/`password`.
 */
export function credentialsFrom(dockerConfigs: string[]): RegistryCredentials {
  const out: RegistryCredentials = new Map();
  for (const text of dockerConfigs) {
    let parsed: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    for (const [key, entry] of Object.entries(parsed.auths ?? {})) {
      const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      const pair = entry.auth
        ? Buffer.from(entry.auth, 'base64').toString()
        : entry.username !== undefined
          ? `${entry.username}:${entry.password ?? ''}`
          : undefined;
      if (pair && !out.has(host)) out.set(host, pair);
    }
  }
  return out;
}
