/**
 * Strategy 3 (managed clusters, no etcd access): which `transformer_prefix` the marker
 * write moved in kube-apiserver's own counters. Indirect, and honest about what a scrape
 * cannot tell: another replica behind the load balancer, an apiserver without the
 * `resource` label, or no series at all (kube-apiserver records none without an
 * EncryptionConfiguration, but so does a replica that did not serve the write).
 */
import type { StoredProvider } from '../stored-value.js';
import {
  type BeforeInput,
  type EvidenceStrategy,
  type StrategyInput,
  type StrategyResult,
  type Unavailable,
  unavailable,
  unavailableAfter,
} from '../strategy.js';
import {
  compareSnapshots,
  isTopLevelPrefix,
  parseTransformationMetrics,
  type TransformationSnapshot,
} from '../transformation-metrics.js';

const CALL_TIMEOUT_MS = 10_000;
/** Extra scrapes when nothing moved: a load balancer may send the next one to the replica that served the write. */
const SCRAPES_AFTER_WRITE = 3;
const PREFIX = /^k8s:enc:(aescbc|aesgcm|secretbox|kms):(v1|v2):(?:([^:]+):)?$/;

function providerOf(prefix: string): { provider?: StoredProvider; keyName?: string } {
  if (prefix === 'identity') return { provider: 'identity' };
  const match = PREFIX.exec(prefix);
  if (!match) return {};
  const provider = (match[1] === 'kms' ? `kms-${match[2]}` : match[1]) as StoredProvider;
  return match[3] ? { provider, keyName: match[3] } : { provider };
}

type Baseline = TransformationSnapshot | { error: Unavailable };

/**
 * A fresh apiserver-metrics strategy: it scrapes before and after a marker write. The first
 * scrape is taken before the marker is written, unless a stronger strategy expects to answer
 * (it would be a request spent for nothing); if this strategy is reached after all, it scrapes
 * then and writes a second marker Secret to watch (requests spent only on that rare path).
 */
export function apiserverMetrics(): EvidenceStrategy {
  let baseline: Baseline | undefined;
  const scrape = async ({ cluster, signal }: Pick<StrategyInput, 'cluster' | 'signal'>) =>
    parseTransformationMetrics(await cluster.rawGet('/metrics', { signal, timeoutMs: CALL_TIMEOUT_MS }));
  const takeBaseline = async (input: BeforeInput): Promise<Baseline> => {
    try {
      return await scrape(input);
    } catch (error) {
      if (input.signal.aborted) throw error;
      return { error: unavailableAfter('GET /metrics failed', error) };
    }
  };

  return {
    name: 'apiserver-metrics',
    async before(input, stronger) {
      if (stronger) return false;
      baseline = await takeBaseline(input);
      return !('error' in baseline);
    },
    async gather(input): Promise<StrategyResult> {
      let writtenAgain: string | undefined;
      let before = baseline;
      if (!before) {
        before = await takeBaseline(input);
        if ('error' in before) return before.error;
        try {
          writtenAgain = await input.writeMarkerAgain();
        } catch (error) {
          if (input.signal.aborted) throw error;
          return unavailableAfter('writing a second marker Secret after the first /metrics scrape failed', error);
        }
      }
      if ('error' in before) return before.error;
      let after: TransformationSnapshot | undefined;
      let delta = compareSnapshots(before, before);
      for (let i = 0; i < SCRAPES_AFTER_WRITE && delta.moved.size === 0; i++) {
        try {
          after = await scrape(input);
        } catch (error) {
          if (input.signal.aborted) throw error;
          return unavailableAfter('GET /metrics after the write failed', error);
        }
        delta = compareSnapshots(before, after);
      }
      const topLevel = [...delta.moved.keys()].filter(isTopLevelPrefix);
      const keyPrefixes = [...delta.moved.keys()].filter((p) => !isTopLevelPrefix(p));
      const details = {
        metric: 'apiserver_storage_transformation_operations_total{transformation_type="to_storage",status="OK"}',
        moved: Object.fromEntries(delta.moved),
        resourceLabel: after?.hasResourceLabel ?? false,
        ...(delta.wentBack.length > 0 ? { wentBack: delta.wentBack } : {}),
        // The write watched was a second marker Secret (the first scrape was skipped, see above).
        ...(writtenAgain ? { watchedWrite: { namespace: input.namespace, name: writtenAgain } } : {}),
      };
      if (topLevel.length === 0) {
        const family = after?.present ? 'no to_storage series for Secrets moved' : 'the metric is absent';
        return unavailable(
          `after the Secret write ${family} on the kube-apiserver that answered /metrics (without an EncryptionConfiguration kube-apiserver records none; with several replicas another one may have served the write)`,
          'absent',
        );
      }
      if (topLevel.length > 1) {
        return unavailable(
          `the write moved several transformer prefixes (${topLevel.join(', ')}): replicas disagree or the configuration changed`,
        );
      }
      const prefix = topLevel[0] as string;
      const { provider, keyName: fromPrefix } = providerOf(prefix);
      // aescbc/aesgcm/secretbox nest one prefix per key (`key1:`) under the provider's.
      const keyName = fromPrefix ?? (keyPrefixes.length === 1 ? keyPrefixes[0]?.replace(/:$/, '') : undefined);
      const caveat = after?.hasResourceLabel
        ? ''
        : ' (this kube-apiserver has no resource label: the count may include other resources)';
      return {
        kind: 'indirect',
        encrypted: prefix !== 'identity',
        ...(provider ? { provider } : {}),
        ...(keyName ? { keyName } : {}),
        observation: `the Secret write moved transformer_prefix="${prefix}"${caveat}`,
        details,
      };
    },
  };
}
