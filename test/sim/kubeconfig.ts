import { stringify } from 'yaml';

export interface KubeconfigParts {
  server: string;
  caPem: string;
  token: string;
  user: string;
  /** Context, cluster name: 'sim'. */
  name?: string;
  namespace?: string;
}

/** A kubeconfig as `kubectl config view --raw --flatten` writes one: inline CA and a bearer token. */
export function renderKubeconfig(p: KubeconfigParts): string {
  const name = p.name ?? 'sim';
  const context: Record<string, string> = { cluster: name, user: p.user };
  if (p.namespace) context.namespace = p.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: p.server, 'certificate-authority-data': Buffer.from(p.caPem).toString('base64') } },
    ],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
    users: [{ name: p.user, user: { token: p.token } }],
  });
}
