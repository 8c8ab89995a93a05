/**
 * A managed control plane (EKS, GKE, AKS): etcd and the kube-apiserver belong to the provider.
 * Nobody outside the provider can read how Secrets are stored, so the honest answer is
 * "not observable here, check the provider's setting" rather than "kubeproof could not tell".
 * Provider tell-tales: server gitVersion `v1.29.3-eks-adc7111` (EKS platform versions,
 * awsdocs amazon-eks-user-guide clusters/platform-versions.adoc), `v1.29.5-gke.1091000` (GKE
 * release notes), AKS API server host `*.azmk8s.io` (AKS kubeconfigs from `az aks get-credentials`).
 */
import type { CheckOutcome } from '../types.js';
import type { Attempt } from './verdict.js';

export type ManagedProvider = 'EKS' | 'GKE' | 'AKS';

/** Where each provider keeps its Secrets encryption setting, and the command that shows it. */
const PROVIDER_SETTING: Record<ManagedProvider, string> = {
  EKS: 'EKS envelope encryption (KMS): `aws eks describe-cluster --name <cluster> --query cluster.encryptionConfig` (from Kubernetes 1.28 EKS encrypts all API data with KMS v2 by default)',
  GKE: 'GKE application-layer secrets encryption: `gcloud container clusters describe <cluster> --format="value(databaseEncryption)"` must show state ENCRYPTED with a Cloud KMS key',
  AKS: 'AKS KMS etcd encryption with Azure Key Vault: `az aks show -n <cluster> -g <resource-group> --query securityProfile.azureKeyVaultKms`',
};

/** The provider the cluster's version string or API server host names, if any. */
export function managedProvider(server: string, gitVersion: string | undefined): ManagedProvider | undefined {
  if (gitVersion && /-eks-/.test(gitVersion)) return 'EKS';
  if (gitVersion && /-gke\./.test(gitVersion)) return 'GKE';
  let host = '';
  try {
    host = new URL(server).hostname;
  } catch {
    // not a URL: no host to read
  }
  if (/\.eks\.amazonaws\.com$/.test(host)) return 'EKS';
  if (/\.azmk8s\.io$/.test(host)) return 'AKS';
  return undefined;
}

const whyOf = (attempts: readonly Attempt[], strategy: Attempt['strategy']) =>
  attempts.find((a) => a.strategy === strategy)?.why;

/**
 * Whether every strategy failed the way a managed control plane makes them fail: no etcd access
 * was given, there are no etcd/kube-apiserver static pods (we could look and they are absent),
 * and `/metrics` is denied (or shows nothing, on a cluster whose version names its provider).
 * A denied pod list is not this: it is a permission kubeproof lacks.
 */
export function looksManaged(attempts: readonly Attempt[], provider: ManagedProvider | undefined): boolean {
  const metrics = whyOf(attempts, 'apiserver-metrics');
  return (
    whyOf(attempts, 'etcd-direct') === 'not-configured' &&
    whyOf(attempts, 'etcd-exec') === 'absent' &&
    whyOf(attempts, 'apiserver-flags') === 'absent' &&
    (metrics === 'denied' || (provider !== undefined && metrics === 'absent'))
  );
}

interface NotObservableInput {
  attempts: Attempt[];
  provider: ManagedProvider | undefined;
  secret: { namespace: string; name: string };
  /** `options.encryption.required`: the caller wants a verdict, so no verdict is an `error`. */
  required: boolean;
}

/** `skipped: not-observable` (or `error` when the request requires encryption), naming what to check instead. */
export function notObservableVerdict({ attempts, provider, secret, required }: NotObservableInput): CheckOutcome {
  const settings = provider ? [PROVIDER_SETTING[provider]] : Object.values(PROVIDER_SETTING);
  const where = provider ? `${provider}'s managed control plane` : 'a managed control plane';
  const summary = `not observable: etcd and kube-apiserver belong to ${where} (no etcd access, no static pods, /metrics not available); check the provider's encryption setting instead`;
  const hint = `Check ${provider ? 'the' : "your provider's"} Secrets encryption setting: ${settings.join('; or ')}. If you run the control plane yourself, give kubeproof etcd access (options.encryption.etcd) for direct evidence.`;
  const evidence = {
    evidenceKind: 'none',
    controlPlane: 'managed',
    provider: provider ?? null,
    checkInstead: settings,
    secret,
    attempts,
  };
  if (required) {
    return {
      status: 'error',
      cause: 'not-observable',
      summary: `${summary}; options.encryption.required is set, so this is an error`,
      evidence,
      hint,
    };
  }
  return { status: 'skipped', reason: 'not-observable', summary, evidence, hint, warnings: [hint] };
}
