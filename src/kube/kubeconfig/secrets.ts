import { maskable } from '../../redaction/redact.js';
import type { SanitizedKubeconfig } from './types.js';

/** Values of a kubeconfig that must never appear in logs, errors, reports or the database. */
export function secretsOf(kc: SanitizedKubeconfig): string[] {
  const raw = [kc.token, kc.password, kc.clientKeyData, kc.clientCertData];
  const decoded = [kc.clientKeyData, kc.clientCertData].map((b64) =>
    b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined,
  );
  // What an Authorization: Basic header carries.
  const basic = kc.password ? Buffer.from(`${kc.username ?? ''}:${kc.password}`).toString('base64') : undefined;
  return maskable([...raw, ...decoded, basic]);
}
