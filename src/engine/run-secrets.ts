import type { AuditOptions } from '../checks/options.js';
import { secretsOf } from '../kube/kubeconfig/secrets.js';
import type { SanitizedKubeconfig } from '../kube/kubeconfig/types.js';
import { maskable } from '../redaction/redact.js';

/** Every secret string of a run (credentials and options): what redaction masks. */
export function runSecrets(credentials: SanitizedKubeconfig, options: AuditOptions): string[] {
  return [...secretsOf(credentials), ...optionSecrets(options)];
}

function optionSecrets(options: AuditOptions): string[] {
  const etcd = options.encryption.etcd;
  return maskable([etcd?.keyData, etcd?.certData, ...pullSecretValues(options.images.pullSecret)]);
}

/** The registry credentials text and each credential inside it (an error could quote one alone). */
function pullSecretValues(text: string | undefined): string[] {
  if (!text) return [];
  const auths = (JSON.parse(text) as { auths?: Record<string, unknown> }).auths ?? {};
  const inner = Object.values(auths).flatMap((entry) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    return [e.auth, e.password, e.identitytoken];
  });
  return [text, ...inner.filter((v): v is string => typeof v === 'string')];
}
