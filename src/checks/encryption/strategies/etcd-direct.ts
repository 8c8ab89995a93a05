/**
 * Strategy 1 (Kubernetes The Hard Way: etcd as a systemd service): read the marker's key
 * with a real etcd v3 client and the caller's TLS material, held in memory for this call only.
 */
import { Etcd3 } from 'etcd3';
import { untilAborted } from '../../../abortable.js';
import type { EtcdAccess } from '../../options.js';
import { SAMPLE_LIMIT, summarizeSample } from '../sample.js';
import { type EvidenceStrategy, type StrategyResult, unavailable } from '../strategy.js';

const STRATEGY_DEADLINE_MS = 10_000;
const CALL_DEADLINE_MS = 4_000;
const SECRETS_PREFIX = '/registry/secrets/';

/** gRPC errors can quote the endpoint and much more; keep the first line, without PEM material. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/-----BEGIN[\s\S]*/g, '[pem]').slice(0, 300);
}

function connect(etcd: EtcdAccess, deadline: number): Etcd3 {
  return new Etcd3({
    hosts: etcd.endpoints,
    credentials: {
      rootCertificate: Buffer.from(etcd.caData ?? ''),
      ...(etcd.certData ? { certChain: Buffer.from(etcd.certData) } : {}),
      ...(etcd.keyData ? { privateKey: Buffer.from(etcd.keyData) } : {}),
    },
    // etcd3 retries failed calls; every attempt shares the strategy's deadline.
    defaultCallOptions: () => ({ deadline: Math.min(Date.now() + CALL_DEADLINE_MS, deadline) }),
  });
}

export const etcdDirect: EvidenceStrategy = {
  name: 'etcd-direct',
  async gather({ etcd, etcdKey, signal }): Promise<StrategyResult> {
    if (!etcd) return unavailable('no etcd endpoints and client certificate were given (options.encryption.etcd)');
    if (!etcd.caData) return unavailable('options.encryption.etcd.caData is required to verify the etcd server');
    const where = etcd.endpoints.join(',');
    let client: Etcd3 | undefined;
    try {
      // Inside the try: a key that does not match the certificate throws right here (OpenSSL
      // "key values mismatch"), and must make this strategy unavailable, not the check fail.
      client = connect(etcd, Date.now() + STRATEGY_DEADLINE_MS);
      const value = await untilAborted(client.get(etcdKey).buffer(), signal);
      if (value === null) {
        return unavailable(
          `etcd at ${where} has no ${etcdKey}: it is not this cluster's etcd, or kube-apiserver uses another --etcd-prefix`,
        );
      }
      const range = await untilAborted(
        client.kv.range({
          key: Buffer.from(SECRETS_PREFIX),
          range_end: Buffer.from('/registry/secrets0'),
          limit: SAMPLE_LIMIT,
        }),
        signal,
      );
      const entries = range.kvs.map((kv) => ({ key: kv.key.toString('utf8'), value: kv.value }));
      return { kind: 'raw', value, source: `etcd ${where}`, sample: summarizeSample(entries, etcdKey, range.more) };
    } catch (error) {
      if (signal.aborted) throw error;
      return unavailable(`etcd at ${where} could not be read: ${describeError(error)}`);
    } finally {
      client?.close();
    }
  },
};
