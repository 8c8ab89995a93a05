/**
 * Strategy 2 (kubeadm): exec `etcdctl` in the etcd static pod with kubeadm's health-check
 * client certificate, `-w json` so the value arrives base64 (the etcd image has no hexdump).
 */
import type { ClusterAccess } from '../../../kube/cluster-access.js';
import type { Pod } from '../../../kube/objects.js';
import { SAMPLE_LIMIT, summarizeSample } from '../sample.js';
import {
  type EvidenceStrategy,
  type StrategyInput,
  type StrategyResult,
  type Unavailable,
  unavailable,
  unavailableAfter,
} from '../strategy.js';

const PKI = '/etc/kubernetes/pki/etcd';
export const ETCDCTL_FLAGS = [
  '--endpoints=https://127.0.0.1:2379',
  `--cacert=${PKI}/ca.crt`,
  `--cert=${PKI}/healthcheck-client.crt`,
  `--key=${PKI}/healthcheck-client.key`,
];
const CALL_TIMEOUT_MS = 15_000;

interface RangeJson {
  kvs?: Array<{ key: string; value?: string }>;
  more?: boolean;
}

/** `etcdctl txn -w json`: json.Marshal of TxnResponse, each get's RangeResponse inside its oneof. */
interface TxnJson {
  succeeded?: boolean;
  responses?: Array<{ Response?: { ResponseRange?: RangeJson } }>;
}

/**
 * The marker's key and the sample in one exec: `etcdctl txn` with no compares runs both gets
 * of its success branch, read from stdin (etcd-io/etcd etcdctl/ctlv3/command/txn_command.go:
 * compares, success and failure requests, each section ended by a blank line, each request
 * parsed like a command line). The image is distroless (etcd-io/etcd Dockerfile: FROM
 * gcr.io/distroless/static-debian12; no sh), so no shell could chain two etcdctl calls. etcdctl
 * reads no further than the third blank line, so stdin needs no EOF (see ExecRequest.stdin).
 */
const txnInput = (etcdKey: string): string =>
  `\nget ${etcdKey}\nget /registry/secrets/ --prefix --limit=${SAMPLE_LIMIT}\n\n\n`;

async function findEtcdPod(cluster: ClusterAccess, signal: AbortSignal): Promise<Pod | undefined> {
  const { items } = await cluster.list(
    'pods',
    { namespace: 'kube-system', labelSelector: 'component=etcd,tier=control-plane' },
    { signal, timeoutMs: CALL_TIMEOUT_MS },
  );
  return items.find((pod) => pod.status?.phase === 'Running') ?? items[0];
}

/** The etcd static pod, or why this strategy cannot use one. */
type Lookup = { podName: string } | { unavailable: Unavailable };

async function lookUp(cluster: ClusterAccess, signal: AbortSignal): Promise<Lookup> {
  let pod: Pod | undefined;
  try {
    pod = await findEtcdPod(cluster, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { unavailable: unavailableAfter('could not list pods in kube-system', error) };
  }
  const name = pod?.metadata?.name;
  if (!name) {
    return {
      unavailable: unavailable(
        'no etcd static pod (component=etcd) in kube-system: etcd is not run by kubeadm here',
        'absent',
      ),
    };
  }
  return { podName: name };
}

/**
 * A fresh etcd-exec strategy. The etcd pod is looked up before the marker is written (a read
 * that does not depend on it), so that `auto` knows whether the metrics strategy's first scrape
 * can be skipped; when a stronger strategy expects to answer, the lookup waits for gather.
 */
export function etcdExec(): EvidenceStrategy {
  let lookup: Promise<Lookup> | undefined;
  const find = (cluster: ClusterAccess, signal: AbortSignal) => {
    lookup ??= lookUp(cluster, signal);
    return lookup;
  };
  return {
    name: 'etcd-exec',
    async before({ cluster, signal }, stronger) {
      if (stronger) return false;
      return 'podName' in (await find(cluster, signal));
    },
    gather: async (input) => {
      const found = await find(input.cluster, input.signal);
      return 'podName' in found ? readWithEtcdctl(input, found.podName) : found.unavailable;
    },
  };
}

async function readWithEtcdctl({ cluster, etcdKey, signal }: StrategyInput, podName: string): Promise<StrategyResult> {
  const where = `kube-system/${podName}`;
  const etcdctlTxn = async (): Promise<[RangeJson, RangeJson]> => {
    const result = await cluster.exec(
      {
        namespace: 'kube-system',
        pod: podName,
        container: 'etcd',
        command: ['etcdctl', ...ETCDCTL_FLAGS, 'txn', '-w', 'json'],
        stdin: txnInput(etcdKey),
      },
      { signal, timeoutMs: CALL_TIMEOUT_MS },
    );
    if (result.exitCode !== 0) {
      throw new Error(`etcdctl exited ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}`);
    }
    const [single, sample] = ((JSON.parse(result.stdout) as TxnJson).responses ?? []).map(
      (r) => r.Response?.ResponseRange,
    );
    if (!single || !sample) throw new Error('etcdctl txn did not answer both gets');
    return [single, sample];
  };
  try {
    const [single, sample] = await etcdctlTxn();
    const encoded = single.kvs?.[0]?.value;
    if (encoded === undefined) return unavailable(`etcdctl in ${where} found no ${etcdKey} (another --etcd-prefix?)`);
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
}
