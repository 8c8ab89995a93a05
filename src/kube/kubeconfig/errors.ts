/** Ways forward, quoted in every refusal so a user with a real kubeconfig knows what to do. */
export const REMEDY = {
  inline:
    'Inline the files into the kubeconfig with `kubectl config view --raw --minify --flatten > kubeproof.kubeconfig` and send that file.',
  token:
    'kubeproof does not run credential plugins. Make a token kubeconfig instead: create a ServiceAccount with the RBAC from GET /v1/rbac, ' +
    'get a token with `kubectl create token kubeproof -n kubeproof --duration=1h`, and put it in the user as `token:` ' +
    '(see the README, "Auditing EKS, GKE, AKS or minikube").',
  impersonation:
    'Impersonation is not accepted: give kubeproof credentials of the identity that should run the audit (a ServiceAccount token, see GET /v1/rbac).',
  proxy: 'Proxies are not supported: kubeproof connects to the API server directly.',
} as const;

/**
 * The kubeconfig cannot be used. `field` names the offending entry (e.g. `users[0].user.exec`);
 * the message never contains a value from the kubeconfig, only field names.
 */
export class KubeconfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeconfigError';
  }
}
