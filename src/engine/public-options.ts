import type { AuditOptions } from '../checks/options.js';

/** AuditOptions as stored and shown: etcd TLS material is replaced by whether it was given. */
export function publicOptions(options: AuditOptions): Record<string, unknown> {
  const { etcd, ...encryption } = options.encryption;
  return {
    ...options,
    encryption: {
      ...encryption,
      ...(etcd
        ? {
            etcd: {
              endpoints: etcd.endpoints,
              caData: etcd.caData ? 'provided' : 'absent',
              certData: etcd.certData ? 'provided' : 'absent',
              keyData: etcd.keyData ? 'provided' : 'absent',
            },
          }
        : {}),
    },
  };
}

/** Secret strings in the options, for redaction. */
export function optionSecrets(options: AuditOptions): string[] {
  const etcd = options.encryption.etcd;
  const values = [etcd?.keyData, etcd?.certData];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
