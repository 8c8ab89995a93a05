/** Runs secrets.encryption the way the engine does (fresh context, the run namespace, own deadline signal). */

import { secretsEncryption } from '../../src/checks/encryption/index.js';
import { AuditOptions, type EncryptionStrategy, type EtcdAccess } from '../../src/checks/options.js';
import type { CheckOutcome } from '../../src/checks/types.js';
import type { ClusterAccess } from '../../src/kube/cluster-access.js';

export interface RunOptions {
  strategy?: EncryptionStrategy;
  etcd?: EtcdAccess;
  namespace?: string;
  required?: boolean;
  /** The server's gitVersion, as preflight.api would have read it. */
  serverVersion?: string;
  /** `options.namespace`: the run works in this operator's namespace (then also `namespace`). */
  sharedNamespace?: string;
}

export interface LoggedLine {
  msg: string;
  fields?: Record<string, unknown>;
}

export async function runEncryptionCheck(
  cluster: ClusterAccess,
  { strategy = 'auto', etcd, namespace = 'kubeproof-test', required, serverVersion, sharedNamespace }: RunOptions,
): Promise<{ outcome: CheckOutcome; logs: LoggedLine[] }> {
  const logs: LoggedLine[] = [];
  const log = (msg: string, fields?: Record<string, unknown>) => logs.push({ msg, ...(fields ? { fields } : {}) });
  const outcome = await secretsEncryption.run({
    cluster,
    workload: undefined,
    namespace: sharedNamespace ?? namespace,
    options: AuditOptions.parse({
      ...(sharedNamespace ? { namespace: sharedNamespace } : {}),
      encryption: { strategy, ...(etcd ? { etcd } : {}), ...(required === undefined ? {} : { required }) },
    }),
    signal: AbortSignal.timeout(secretsEncryption.deadlineMs),
    clock: { now: () => new Date() },
    log: { info: log, warn: log, error: log },
    results: new Map(
      serverVersion ? [['preflight.api', { status: 'passed', summary: '', evidence: { serverVersion } }]] : [],
    ),
  });
  return { outcome, logs };
}

export const etcdAccessOf = (etcd: {
  endpoints: string[];
  caPem: string;
  certPem: string;
  keyPem: string;
}): EtcdAccess => ({
  endpoints: etcd.endpoints,
  caData: etcd.caPem,
  certData: etcd.certPem,
  keyData: etcd.keyPem,
});
