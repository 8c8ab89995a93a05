/**
 * Strategy 1 (Kubernetes The Hard Way: etcd as a systemd service): read the marker's key
 * with a real etcd v3 client and the caller's TLS material, held in memory for this call only.
 */
import type { Etcd3 } from 'etcd3';
import { untilAborted } from '../../../abortable.js';
import type { ClusterAccess } from '../../../kube/cluster-access.js';
import { OutboundRefusal, strictPolicy, targetOf } from '../../../net/outbound-policy.js';
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

/** Endpoints pinned to the addresses the outbound policy checked, grouped by TLS name. */
interface PinnedGroup {
  hosts: string[];
  /** The name the etcd certificate must carry when the endpoint was given as a name. */
  servername: string | undefined;
}

/**
 * Resolves and checks every endpoint through the run's outbound policy (intake has already
 * refused what it could see; this is the dial-time check, against DNS changes), and rewrites
 * it to the checked address so grpc never looks the name up again.
 */
async function pinEndpoints(cluster: ClusterAccess, endpoints: readonly string[]): Promise<PinnedGroup[]> {
  const policy = cluster.outbound ?? strictPolicy();
  const groups = new Map<string, PinnedGroup>();
  for (const endpoint of endpoints) {
    const url = new URL(endpoint);
    if (url.protocol !== 'https:') throw new OutboundRefusal(url.origin, 'etcd endpoints must be https://');
    const target = targetOf(url);
    const { address, family } = await policy.resolveChecked(target);
    const servername = address === target.host ? undefined : target.host;
    const group = groups.get(servername ?? '') ?? { hosts: [], servername };
    group.hosts.push(family === 6 ? `[${address}]:${target.port}` : `${address}:${target.port}`);
    groups.set(servername ?? '', group);
  }
  return [...groups.values()];
}

async function connect(etcd: EtcdAccess, pinned: PinnedGroup, deadline: number): Promise<Etcd3> {
  // etcd3 pulls in gRPC: loaded only when this strategy runs, not at start-up.
  const { Etcd3: Client } = await import('etcd3');
  return new Client({
    hosts: pinned.hosts,
    grpcOptions: {
      // Never through a proxy named in the environment: the checked address is the one dialled.
      'grpc.enable_http_proxy': 0,
      ...(pinned.servername ? { 'grpc.ssl_target_name_override': pinned.servername } : {}),
    },
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
  // Configured: expected to answer (no request to find out; gather says what went wrong if not).
  before: async ({ etcd }) => etcd?.caData !== undefined && etcd.endpoints.length > 0,
  async gather({ cluster, etcd, etcdKey, signal }): Promise<StrategyResult> {
    if (!etcd)
      return unavailable(
        'no etcd endpoints and client certificate were given (options.encryption.etcd)',
        'not-configured',
      );
    if (!etcd.caData) return unavailable('options.encryption.etcd.caData is required to verify the etcd server');
    const where = etcd.endpoints.join(',');
    let pinned: PinnedGroup[];
    try {
      pinned = await pinEndpoints(cluster, etcd.endpoints);
    } catch (error) {
      if (error instanceof OutboundRefusal) return unavailable(`etcd at ${where} was not dialled: ${error.message}`);
      return unavailable(`etcd at ${where} could not be resolved: ${describeError(error)}`);
    }
    const deadline = Date.now() + STRATEGY_DEADLINE_MS;
    let last: StrategyResult = unavailable(`etcd at ${where} could not be read`);
    for (const group of pinned) {
      last = await readFrom(etcd, group, deadline, etcdKey, where, signal);
      if (last.kind === 'raw') return last;
    }
    return last;
  },
};

async function readFrom(
  etcd: EtcdAccess,
  group: PinnedGroup,
  deadline: number,
  etcdKey: string,
  where: string,
  signal: AbortSignal,
): Promise<StrategyResult> {
  let client: Etcd3 | undefined;
  try {
    // Inside the try: a key that does not match the certificate throws right here (OpenSSL
    // "key values mismatch"), and must make this strategy unavailable, not the check fail.
    client = await connect(etcd, group, deadline);
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
}
