import type { AuditOptions } from '../../checks/options.js';

/** AuditOptions as stored and shown: etcd TLS material and registry credentials are replaced by whether they were given. */
export function publicOptions(options: AuditOptions): Record<string, unknown> {
  const { etcd, ...encryption } = options.encryption;
  const { pullSecret, ...images } = options.images;
  return {
    ...options,
    images: { ...images, ...(pullSecret ? { pullSecret: 'provided' } : {}) },
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
