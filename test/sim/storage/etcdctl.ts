/**
 * `etcdctl` as it runs inside kubeadm's `etcd-<node>` static pod (etcd 3.5 image), for the
 * commands kubeproof and operators use: `get KEY [--prefix] [--limit N] [--keys-only]
 * [--print-value-only] [-w json|simple]`. The pod's certificates live under
 * /etc/kubernetes/pki/etcd; other paths fail the way the real binary does. The JSON output
 * was checked byte for byte against the real etcdctl talking to a real etcd (see tests).
 */
import type { KvBackend, RangeResult, StoredKeyValue } from './kv.js';
import { prefixRangeEnd } from './kv.js';

export interface EtcdctlOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const PKI = '/etc/kubernetes/pki/etcd';
/** Client certificate/key pairs kubeadm leaves in the etcd pod, all signed by the etcd CA. */
const CLIENT_PAIRS: Record<string, string> = {
  [`${PKI}/healthcheck-client.crt`]: `${PKI}/healthcheck-client.key`,
  [`${PKI}/server.crt`]: `${PKI}/server.key`,
  [`${PKI}/peer.crt`]: `${PKI}/peer.key`,
};
const POD_FILES = new Set([
  `${PKI}/ca.crt`,
  `${PKI}/ca.key`,
  ...Object.keys(CLIENT_PAIRS),
  ...Object.values(CLIENT_PAIRS),
]);
const LOCAL_ENDPOINTS = new Set(['https://127.0.0.1:2379', 'https://localhost:2379', 'https://[::1]:2379']);

const VALUE_FLAGS = new Set([
  'endpoints',
  'cacert',
  'cert',
  'key',
  'write-out',
  'w',
  'limit',
  'dial-timeout',
  'command-timeout',
  'user',
  'password',
  'rev',
  'sort-by',
  'order',
  'consistency',
]);

// etcdctl's exit codes: 1 for a failed request, 128 for bad arguments or unreadable files.
const EXIT_ERROR = 1;
const EXIT_BAD_ARGS = 128;

interface ParsedArgs {
  flags: Map<string, string>;
  positionals: string[];
}

function parseArgs(args: string[]): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const name = match[1] as string;
    if (match[2] !== undefined) flags.set(name, match[2]);
    else if (VALUE_FLAGS.has(name)) flags.set(name, args[++i] ?? '');
    else flags.set(name, 'true');
  }
  return { flags, positionals };
}

const fail = (exitCode: number, message: string): EtcdctlOutput => ({
  stdout: '',
  stderr: `Error: ${message}\n`,
  exitCode,
});

/** Why the client could not talk to the pod's etcd, as etcdctl reports it; undefined when it can. */
function connectionProblem(flags: Map<string, string>): EtcdctlOutput | undefined {
  for (const flag of ['cacert', 'cert', 'key']) {
    const path = flags.get(flag);
    if (path !== undefined && !POD_FILES.has(path))
      return fail(EXIT_BAD_ARGS, `open ${path}: no such file or directory`);
  }
  const cert = flags.get('cert');
  const key = flags.get('key');
  if (cert && key && CLIENT_PAIRS[cert] !== key)
    return fail(EXIT_BAD_ARGS, 'tls: private key does not match public key');
  const endpoints = (flags.get('endpoints') ?? '127.0.0.1:2379').split(',');
  const reachable = endpoints.some((endpoint) => LOCAL_ENDPOINTS.has(endpoint));
  // etcd requires client certificates and serves TLS only: anything else times out in the handshake.
  if (!reachable || flags.get('cacert') !== `${PKI}/ca.crt` || !cert || !key) {
    return fail(EXIT_ERROR, 'context deadline exceeded');
  }
  return undefined;
}

function kvJson(kv: StoredKeyValue): string {
  const parts = [
    `"key":"${kv.key.toString('base64')}"`,
    `"create_revision":${kv.create_revision}`,
    `"mod_revision":${kv.mod_revision}`,
    `"version":${kv.version}`,
  ];
  if (kv.value.length > 0) parts.push(`"value":"${kv.value.toString('base64')}"`);
  return `{${parts.join(',')}}`;
}

/** Go's json.Marshal of RangeResponse: omitempty everywhere, uint64s as bare digits. */
export function rangeJson(result: RangeResult): string {
  const h = result.header;
  const header = [
    ['cluster_id', h.cluster_id],
    ['member_id', h.member_id],
    ['revision', h.revision],
    ['raft_term', h.raft_term],
  ]
    .filter(([, value]) => value !== '0')
    .map(([name, value]) => `"${name}":${value}`)
    .join(',');
  const parts = [`"header":{${header}}`];
  if (result.kvs.length > 0) parts.push(`"kvs":[${result.kvs.map(kvJson).join(',')}]`);
  if (result.more) parts.push('"more":true');
  if (result.count !== '0') parts.push(`"count":${result.count}`);
  return `{${parts.join(',')}}\n`;
}

function rangeSimple(result: RangeResult, valueOnly: boolean): string {
  return result.kvs
    .map((kv) => (valueOnly ? '' : `${kv.key.toString('utf8')}\n`) + `${kv.value.toString('utf8')}\n`)
    .join('');
}

async function get(kv: KvBackend, parsed: ParsedArgs): Promise<EtcdctlOutput> {
  const { flags, positionals } = parsed;
  const key = positionals[1];
  if (key === undefined || positionals.length > 3) {
    return fail(EXIT_BAD_ARGS, 'get command needs one argument as key and an optional argument as range_end');
  }
  const output = flags.get('write-out') ?? flags.get('w') ?? 'simple';
  const valueOnly = flags.get('print-value-only') === 'true';
  if (valueOnly && output !== 'simple') return fail(EXIT_BAD_ARGS, 'print-value-only is only for `--write-out=simple`');
  if (output !== 'simple' && output !== 'json') return fail(EXIT_ERROR, `unknown output format ${output}`);
  const keyBytes = Buffer.from(key, 'utf8');
  const rangeEndArg = positionals[2];
  const limit = Number(flags.get('limit') ?? 0);
  let result: RangeResult;
  try {
    result = await kv.range({
      key: keyBytes,
      ...(flags.get('prefix') === 'true'
        ? { rangeEnd: prefixRangeEnd(keyBytes) }
        : rangeEndArg
          ? { rangeEnd: Buffer.from(rangeEndArg, 'utf8') }
          : {}),
      limit: Number.isFinite(limit) ? limit : 0,
      keysOnly: flags.get('keys-only') === 'true',
    });
  } catch {
    return fail(EXIT_ERROR, 'context deadline exceeded');
  }
  const stdout = output === 'json' ? rangeJson(result) : rangeSimple(result, valueOnly);
  return { stdout, stderr: '', exitCode: 0 };
}

/** Runs `etcdctl <args>` inside the simulated etcd pod. */
export async function runEtcdctl(kv: KvBackend, args: string[]): Promise<EtcdctlOutput> {
  const parsed = parseArgs(args);
  const command = parsed.positionals[0];
  if (command === undefined)
    return { stdout: 'NAME:\n\tetcdctl - A simple command line client for etcd3.\n', stderr: '', exitCode: 0 };
  if (command !== 'get') {
    return {
      stdout: '',
      stderr: `Error: unknown command "${command}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`,
      exitCode: EXIT_ERROR,
    };
  }
  return connectionProblem(parsed.flags) ?? (await get(kv, parsed));
}
