/**
 * Strategy 2 (kubeadm): exec `etcdctl` in the etcd static pod with kubeadm's health-check
 * client certificate, `-w json` so the value arrives base64 (the etcd image has no hexdump).
 */
import type { ClusterAccess } from '../../../kube/cluster-access.js';
import type { Pod } from '../../../kube/objects.js';
import { SAMPLE_LIMIT, summarizeSample } from '../sample.js';
import { type EvidenceStrategy, type StrategyResult, unavailable, unavailableAfter } from '../strategy.js';

const PKI = '/etc/kubernetes/pki/etcd';
export const ETCDCTL_FLAGS = [
  '--endpoints=https://127.0.0.1:2379',
  `--cacert=${PKI}/ca.crt`,
  `--cert=${PKI}/healthcheck-client.crt`,
  `--key=${PKI}/healthcheck-client.key`,
];
const CALL_TIMEOUT_MS = 15_000;

interface EtcdctlJson {
  kvs?: Array<{ key: string; value?: string }>;
  more?: boolean;
}

async function findEtcdPod(cluster: ClusterAccess, signal: AbortSignal): Promise<Pod | undefined> {
  const { items } = await cluster.list(
    'pods',
    { namespace: 'kube-system', labelSelector: 'component=etcd,tier=control-plane' },
    { signal, timeoutMs: CALL_TIMEOUT_MS },
  );
  return items.find((pod) => pod.status?.phase === 'Running') ?? items[0];
}

export const etcdExec: EvidenceStrategy = {
  name: 'etcd-exec',
  async gather({ cluster, etcdKey, signal }): Promise<StrategyResult> {
    let pod: Pod | undefined;
    try {
      pod = await findEtcdPod(cluster, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      return unavailableAfter('could not list pods in kube-system', error);
    }
    if (!pod?.metadata?.name) {
      return unavailable(
        'no etcd static pod (component=etcd) in kube-system: etcd is not run by kubeadm here',
        'absent',
      );
    }
    const where = `kube-system/${pod.metadata.name}`;
    const etcdctl = async (args: string[]): Promise<EtcdctlJson> => {
      const result = await cluster.exec(
        {
          namespace: 'kube-system',
          pod: pod.metadata?.name ?? '',
          container: 'etcd',
          command: ['etcdctl', ...ETCDCTL_FLAGS, ...args, '-w', 'json'],
        },
        { signal, timeoutMs: CALL_TIMEOUT_MS },
      );
      if (result.exitCode !== 0) {
        throw new Error(`etcdctl exited ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}`);
      }
      return JSON.parse(result.stdout) as EtcdctlJson;
    };
    try {
      const single = await etcdctl(['get', etcdKey]);
      const encoded = single.kvs?.[0]?.value;
      if (encoded === undefined) return unavailable(`etcdctl in ${where} found no ${etcdKey} (another --etcd-prefix?)`);
      const sample = await etcdctl(['get', '/registry/secrets/', '--prefix', `--limit=${SAMPLE_LIMIT}`]);
      const entries = (sample.kvs ?? []).map((kv) => ({
        key: Buffer.from(kv.key, 'base64').toString('utf8'),
        value: Buffer.from(kv.value ?? '', 'base64'),
      }));
      return {
        kind: 'raw',
        value: Buffer.from(encoded, 'base64'),
        source: `${where} (etcdctl)`,
        sample: summarizeSample(entries, etcdKey, sample.more === true),
      };
    } catch (error) {
      if (signal.aborted) throw error;
      return unavailableAfter(`exec of etcdctl in ${where} failed`, error);
    }
  },
};
