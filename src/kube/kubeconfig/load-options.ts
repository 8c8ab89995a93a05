import type { SanitizedKubeconfig } from './types.js';

/**
 * The object to hand to `new KubeConfig().loadFromOptions(...)`: one cluster, one user, one
 * context, built only from allow-listed fields (no exec, authProvider, tokenFile or file paths).
 */
export function toLoadOptions(kc: SanitizedKubeconfig) {
  return {
    clusters: [
      {
        name: kc.clusterName,
        server: kc.server,
        caData: kc.caData,
        tlsServerName: kc.tlsServerName,
        skipTLSVerify: kc.insecureSkipTlsVerify,
      },
    ],
    users: [
      {
        name: kc.userName,
        token: kc.token,
        certData: kc.clientCertData,
        keyData: kc.clientKeyData,
        username: kc.username,
        password: kc.password,
      },
    ],
    contexts: [{ name: kc.contextName, cluster: kc.clusterName, user: kc.userName, namespace: kc.namespace }],
    currentContext: kc.contextName,
  };
}
