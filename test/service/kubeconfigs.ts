import { stringify } from 'yaml';

/** A PEM-looking block, base64 encoded as kubeconfig `*-data` fields carry it. */
export function pemData(label: string, body: string): string {
  return Buffer.from(
    `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`,
  ).toString('base64');
}

export const TEST_TOKEN = 'kp-test-token-3f9a1c7e5b2d4068';
export const TEST_KEY_BODY = 'super-secret-client-key-material-91b2';

export interface KubeconfigParts {
  server?: string;
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
  currentContext?: string | null;
  extra?: Record<string, unknown>;
}

/** A kubeconfig with one context `test` (cluster `test-cluster`, user `test-user`); parts override fields. */
export function kubeconfigYaml(parts: KubeconfigParts = {}): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    ...(parts.currentContext === null ? {} : { 'current-context': parts.currentContext ?? 'test' }),
    clusters: [
      {
        name: 'test-cluster',
        cluster: {
          server: parts.server ?? 'https://127.0.0.1:6443',
          'certificate-authority-data': pemData('CERTIFICATE', 'ca'),
          ...parts.cluster,
        },
      },
    ],
    users: [{ name: 'test-user', user: { token: TEST_TOKEN, ...parts.user } }],
    contexts: [{ name: 'test', context: { cluster: 'test-cluster', user: 'test-user', ...parts.context } }],
    ...parts.extra,
  };
  return stringify(doc);
}

/** Same, authenticating with a client certificate and key instead of a token. */
export function certKubeconfigYaml(): string {
  return kubeconfigYaml({
    user: {
      token: undefined,
      'client-certificate-data': pemData('CERTIFICATE', 'client-cert'),
      'client-key-data': pemData('RSA PRIVATE KEY', TEST_KEY_BODY),
    },
  });
}
