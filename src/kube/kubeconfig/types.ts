/**
 * A kubeconfig reduced to one context and to the allow-listed fields only.
 * Built by the intake from untrusted input; held in memory for one run and never persisted.
 * The cluster access module turns it into a KubeConfig with `loadFromOptions`
 * (never `loadFromString`/`loadFromFile`, which read files and run exec plugins).
 */
export interface SanitizedKubeconfig {
  /** https URL of the API server. */
  server: string;
  /** certificate-authority-data as given: base64 of the PEM bundle (what loadFromOptions expects). */
  caData?: string;
  tlsServerName?: string;
  /** Accepted, but recorded on the run as a warning. */
  insecureSkipTlsVerify: boolean;
  token?: string;
  /** client-certificate-data as given: base64 of the PEM certificate. */
  clientCertData?: string;
  /** client-key-data as given: base64 of the PEM key. Secret. */
  clientKeyData?: string;
  username?: string;
  password?: string;
  clusterName: string;
  contextName: string;
  userName: string;
  /** The context's namespace, if any (informational: checks use their own namespace). */
  namespace?: string;
}
