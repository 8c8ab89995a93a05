/**
 * `etcdctl` as it runs inside kubeadm's `etcd-<node>` static pod (etcd 3.5 image), for the
 * commands kubeproof and operators use: `get KEY [--prefix] [--limit N] [--keys-only]
 * [--print-value-only] [-w json|simple]`, and `txn -w json` with no compares and `get`
 * requests (see txn.ts). The pod's certificates live under
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
const EXIT_INVALID_INPUT = 3;
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

/** Go's json.Marshal of a ResponseHeader: omitempty, uint64s as bare digits. */
function headerJson(h: RangeResult['header']): string {
  const fields = [
    ['cluster_id', h.cluster_id],
    ['member_id', h.member_id],
    ['revision', h.revision],
    ['raft_term', h.raft_term],
  ]
    .filter(([, value]) => value !== '0')
    .map(([name, value]) => `"${name}":${value}`)
    .join(',');
  return `{${fields}}`;
}

/** Go's json.Marshal of RangeResponse (without the newline), with the header as given. */
function rangeObjectJson(result: RangeResult, header: string): string {
  const parts = [`"header":${header}`];
  if (result.kvs.length > 0) parts.push(`"kvs":[${result.kvs.map(kvJson).join(',')}]`);
  if (result.more) parts.push('"more":true');
  if (result.count !== '0') parts.push(`"count":${result.count}`);
  return `{${parts.join(',')}}`;
}

/** Go's json.Marshal of RangeResponse: omitempty everywhere, uint64s as bare digits. */
export function rangeJson(result: RangeResult): string {
  return `${rangeObjectJson(result, headerJson(result.header))}\n`;
}

function rangeSimple(result: RangeResult, valueOnly: boolean): string {
  return result.kvs
    .map((kv) => (valueOnly ? '' : `${kv.key.toString('utf8')}\n`) + `${kv.value.toString('utf8')}\n`)
    .join('');
}

/** The range a `get` asks for (argv after `etcdctl`, or one txn request line), or why it is malformed. */
function getRange(parsed: ParsedArgs): Parameters<KvBackend['range']>[0] | EtcdctlOutput {
  const { flags, positionals } = parsed;
  const key = positionals[1];
  if (key === undefined || positionals.length > 3) {
    return fail(EXIT_BAD_ARGS, 'get command needs one argument as key and an optional argument as range_end');
  }
  const keyBytes = Buffer.from(key, 'utf8');
  const rangeEndArg = positionals[2];
  const limit = Number(flags.get('limit') ?? 0);
  return {
    key: keyBytes,
    ...(flags.get('prefix') === 'true'
      ? { rangeEnd: prefixRangeEnd(keyBytes) }
      : rangeEndArg
        ? { rangeEnd: Buffer.from(rangeEndArg, 'utf8') }
        : {}),
    limit: Number.isFinite(limit) ? limit : 0,
    keysOnly: flags.get('keys-only') === 'true',
  };
}

async function get(kv: KvBackend, parsed: ParsedArgs): Promise<EtcdctlOutput> {
  const { flags } = parsed;
  const range = getRange(parsed);
  if ('exitCode' in range) return range;
  const output = flags.get('write-out') ?? flags.get('w') ?? 'simple';
  const valueOnly = flags.get('print-value-only') === 'true';
  if (valueOnly && output !== 'simple') return fail(EXIT_BAD_ARGS, 'print-value-only is only for `--write-out=simple`');
  if (output !== 'simple' && output !== 'json') return fail(EXIT_ERROR, `unknown output format ${output}`);
  let result: RangeResult;
  try {
    result = await kv.range(range);
  } catch {
    return fail(EXIT_ERROR, 'context deadline exceeded');
  }
  const stdout = output === 'json' ? rangeJson(result) : rangeSimple(result, valueOnly);
  return { stdout, stderr: '', exitCode: 0 };
}

/**
 * The sections of a `txn` input (compares, success requests, failure requests), each ended by a
 * blank line, or undefined until the third blank line has arrived: etcdctl reads stdin line by
 * line (bufio ReadString, TrimSpace) and needs no EOF after it.
 */
export function txnSections(input: string): [string[], string[], string[]] | undefined {
  const sections: string[][] = [[]];
  const lines = input.split('\n');
  // The last piece has no newline yet: not a line etcdctl has read.
  for (const line of lines.slice(0, -1)) {
    const trimmed = line.trim();
    if (trimmed.length > 0) {
      sections[sections.length - 1]?.push(trimmed);
      continue;
    }
    if (sections.length === 3) return sections as [string[], string[], string[]];
    sections.push([]);
  }
  return undefined;
}

/**
 * `etcdctl txn` (etcd-io/etcd etcdctl/ctlv3/command/txn_command.go): compares, then the requests
 * applied when they hold, then those applied when not, each request line parsed like a command
 * line (`get KEY --prefix --limit=100`); an input that ends early is `Error: EOF`, exit 3
 * (ExitInvalidInput). Simulated for what kubeproof sends: no compares (the success requests run),
 * `get` requests, `-w json` — json.Marshal of TxnResponse, the oneof as
 * `"Response":{"ResponseRange":{…}}` with only the revision in each range's header, checked
 * against the real etcdctl in storage.test.ts. The gets are read one after the other, not in one
 * revision: nothing writes between them in the tests that use it.
 */
async function txn(kv: KvBackend, parsed: ParsedArgs, stdin: string): Promise<EtcdctlOutput> {
  if (parsed.positionals.length > 1) return fail(EXIT_BAD_ARGS, 'txn command does not accept argument');
  const sections = txnSections(stdin);
  if (!sections) return fail(EXIT_INVALID_INPUT, 'EOF');
  const [compares, success] = sections;
  if (compares.length > 0) return fail(EXIT_ERROR, 'the simulated etcdctl txn takes no compares');
  if ((parsed.flags.get('write-out') ?? parsed.flags.get('w')) !== 'json') {
    return fail(EXIT_ERROR, 'the simulated etcdctl txn prints -w json only');
  }
  const ranges: Array<Parameters<KvBackend['range']>[0]> = [];
  for (const line of success) {
    const args = line.split(/\s+/);
    if (args.length < 2) return fail(EXIT_INVALID_INPUT, `invalid txn compare request: ${line}`);
    if (args[0] !== 'get' || line.includes('"')) return fail(EXIT_ERROR, `not simulated in txn: ${line}`);
    const range = getRange(parseArgs(args));
    if ('exitCode' in range) return fail(EXIT_INVALID_INPUT, `invalid txn request: ${line}`);
    ranges.push(range);
  }
  const results: RangeResult[] = [];
  try {
    for (const range of ranges) results.push(await kv.range(range));
  } catch {
    return fail(EXIT_ERROR, 'context deadline exceeded');
  }
  const first = results[0] ?? (await kv.range({ key: Buffer.from('\0') }));
  const responses = results.map(
    (r) => `{"Response":{"ResponseRange":${rangeObjectJson(r, `{"revision":${r.header.revision}}`)}}}`,
  );
  const parts = [`"header":${headerJson(first.header)}`, '"succeeded":true'];
  if (responses.length > 0) parts.push(`"responses":[${responses.join(',')}]`);
  return { stdout: `{${parts.join(',')}}\n`, stderr: '', exitCode: 0 };
}

/** Runs `etcdctl <args>` inside the simulated etcd pod; `stdin` is what `txn` reads. */
export async function runEtcdctl(kv: KvBackend, args: string[], stdin = ''): Promise<EtcdctlOutput> {
  const parsed = parseArgs(args);
  const command = parsed.positionals[0];
  if (command === undefined)
    return { stdout: 'NAME:\n\tetcdctl - A simple command line client for etcd3.\n', stderr: '', exitCode: 0 };
  if (command === 'txn') return connectionProblem(parsed.flags) ?? (await txn(kv, parsed, stdin));
  if (command !== 'get') {
    return {
      stdout: '',
      stderr: `Error: unknown command "${command}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`,
      exitCode: EXIT_ERROR,
    };
  }
  return connectionProblem(parsed.flags) ?? (await get(kv, parsed));
}
