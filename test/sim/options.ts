/**
 * The standalone simulation's command line: one table of flags (each with its one-line help),
 * from which parsing and `--help` are both derived. Each flag also accepts `--flag=value`.
 * `--help` lists every flag, every fault (from fault-catalog.ts) and every profile (profiles/).
 */
import type { Latencies } from './contracts.js';
import { HONOUR_GRACE_PERIODS } from './controllers/kit/context.js';
import { parseNodeLoad } from './controllers/node-load.js';
import { FAULT_NAMES, faultCatalog, faultUsage, parseFault, UnknownFaultError } from './faults.js';
import type { SimClusterOptions } from './index.js';
import { faultRefusal, getProfile, PROFILE_NAMES, parseProfile, UnknownProfileError } from './profiles/index.js';
import { normaliseServerVersion, ServerVersionError } from './server/version.js';
import { PROVIDER_NAMES, type ProviderName } from './storage/index.js';

export interface CliOptions {
  kubeconfigOut?: string;
  cluster: SimClusterOptions;
}

/** A bad command line: the message is for a person (printed without a stack trace, exit 2). */
export class UsageError extends Error {}

/** `--help` was asked for: the message is the help text (printed to stdout, exit 0). */
export class HelpRequested extends Error {}

interface Flag {
  name: string;
  /** Placeholder of the value, or undefined for a switch. */
  value?: string;
  help: string;
  apply(out: CliOptions, value: string): void;
}

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a non-negative integer, got "${value}"`);
  return Number(value);
}

const latencyFlag = (name: string, key: keyof Latencies, help: string): Flag => ({
  name,
  value: 'MS',
  help,
  apply: (out, v) => {
    out.cluster.latencies = { ...(out.cluster.latencies ?? {}), [key]: nonNegativeInt(name, v) };
  },
});

const intFlag = (name: string, key: 'nodes' | 'port' | 'controlPort', help: string): Flag => ({
  name,
  value: key === 'nodes' ? 'N' : 'PORT',
  help,
  apply: (out, v) => {
    out.cluster[key] = nonNegativeInt(name, v);
  },
});

const flags: Flag[] = [
  {
    name: '--profile',
    value: 'NAME',
    help: 'the kind of cluster to look and behave like (default kthw; see the list below)',
    apply: (out, v) => {
      try {
        out.cluster.profile = parseProfile(v);
      } catch (e) {
        if (e instanceof UnknownProfileError) throw new UsageError(`--profile: ${e.message}`);
        throw e;
      }
    },
  },
  {
    name: '--kubeconfig-out',
    value: 'PATH',
    help: 'write the kubeconfig (token, CA) there, mode 0600',
    apply: (out, v) => {
      out.kubeconfigOut = v;
    },
  },
  {
    name: '--fault',
    value: 'NAME[:ARG]',
    help: 'switch a fault on at start (repeatable; see the list below)',
    apply: (out, v) => {
      try {
        out.cluster.faults = [...(out.cluster.faults ?? []), parseFault(v).spec];
      } catch (e) {
        if (e instanceof UnknownFaultError) throw new UsageError(`--fault: ${e.message}`);
        throw e;
      }
    },
  },
  intFlag('--nodes', 'nodes', 'worker nodes (default 2; a control-plane node comes on top)'),
  {
    name: '--no-pod-cidr',
    help: 'nodes publish no spec.podCIDR (pods still get addresses)',
    apply: (out) => {
      out.cluster.podCidr = false;
    },
  },
  {
    name: '--cluster-domain',
    value: 'DOMAIN',
    help: 'the cluster DNS domain (default cluster.local)',
    apply: (out, v) => {
      out.cluster.clusterDomain = v;
    },
  },
  {
    name: '--encryption',
    value: 'PROVIDER[:KEY]',
    help: `encrypt Secrets at rest (${PROVIDER_NAMES.join(', ')})`,
    apply: (out, v) => {
      const [provider = '', keyName] = v.split(':');
      if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
        throw new UsageError(`--encryption: unknown provider "${provider}"; one of ${PROVIDER_NAMES.join(', ')}`);
      }
      const name = provider as ProviderName;
      out.cluster.encryption = keyName ? { provider: name, keyName } : { provider: name };
    },
  },
  {
    name: '--etcd',
    value: 'URL[,URL]',
    help: 'store Secrets in this real etcd (etcdctl in the etcd pod reads it)',
    apply: (out, v) => {
      out.cluster.etcd = { endpoints: v.split(',') };
    },
  },
  {
    name: '--server-version',
    value: 'VERSION',
    help: 'the Kubernetes version the API server claims and authorizes like (default v1.32.4; from 1.35 a WebSocket exec needs create too)',
    apply: (out, v) => {
      try {
        out.cluster.serverVersion = normaliseServerVersion(v);
      } catch (e) {
        if (e instanceof ServerVersionError) throw new UsageError(`--server-version: ${e.message}`);
        throw e;
      }
    },
  },
  {
    name: '--node-load',
    value: 'NODE=PCT[,NODE=PCT]',
    help: "other tenants' pods requesting PCT % of those nodes' CPU and memory (uneven scheduling)",
    apply: (out, v) => {
      try {
        out.cluster.nodeLoad = { ...(out.cluster.nodeLoad ?? {}), ...parseNodeLoad(v) };
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    },
  },
  {
    name: '--honour-grace-periods',
    help: 'a deleted pod stays Terminating until its processes exit on TERM or its whole grace period is over (default: at most 200 ms)',
    apply: (out) => {
      out.cluster.timings = { ...(out.cluster.timings ?? {}), podDeletionGraceMs: HONOUR_GRACE_PERIODS };
    },
  },
  intFlag('--port', 'port', 'API server port on 127.0.0.1 (default: a free one)'),
  intFlag('--control-port', 'controlPort', 'control endpoint port (default: a free one)'),
  {
    name: '--pod-security',
    value: 'LEVEL',
    help: 'Pod Security default for unlabelled namespaces: enforce and warn baseline or restricted',
    apply: (out, v) => {
      if (v !== 'baseline' && v !== 'restricted')
        throw new UsageError(`--pod-security: expected baseline or restricted, got "${v}"`);
      out.cluster.admission = { ...out.cluster.admission, podSecurity: { enforce: v, warn: v, audit: v } };
    },
  },
  {
    name: '--deny-webhook',
    value: 'NAME[:CODE]',
    help: 'a validating webhook NAME denies every pod create (with that HTTP code; 403 when none)',
    apply: (out, v) => {
      const [name = '', code] = v.split(':');
      if (!name || (code !== undefined && !/^[1-5]\d\d$/.test(code))) {
        throw new UsageError(`--deny-webhook: expected NAME[:CODE] with a 3-digit code, got "${v}"`);
      }
      const message = `pod creation is blocked by policy ${name}`;
      out.cluster.admission = {
        ...out.cluster.admission,
        webhook: { name, message, ...(code ? { code: Number(code) } : {}) },
      };
    },
  },
  {
    name: '--deny-policy',
    value: 'NAME',
    help: 'a ValidatingAdmissionPolicy NAME (bound as NAME-binding) denies every pod create',
    apply: (out, v) => {
      out.cluster.admission = {
        ...out.cluster.admission,
        validatingAdmissionPolicy: { policy: v, binding: `${v}-binding` },
      };
    },
  },
  {
    name: '--idle-close-ms',
    value: 'MS',
    help: 'a load balancer in front of the API server closes connections idle that long (FIN)',
    apply: (out, v) => {
      out.cluster.idleNetwork = {
        idleMs: nonNegativeInt('--idle-close-ms', v),
        mode: out.cluster.idleNetwork?.mode ?? 'close',
      };
    },
  },
  {
    name: '--idle-reset',
    help: 'with --idle-close-ms: reset (RST) idle connections instead of closing them',
    apply: (out) => {
      out.cluster.idleNetwork = { idleMs: out.cluster.idleNetwork?.idleMs ?? 350_000, mode: 'reset' };
    },
  },
  latencyFlag('--pod-start-ms', 'podStartMs', 'time a kubelet takes to start a pod'),
  latencyFlag('--endpoint-delay-ms', 'endpointDelayMs', 'time before the EndpointSlice controller publishes'),
  latencyFlag('--api-latency-ms', 'apiLatencyMs', 'added to every API request'),
  latencyFlag('--dns-latency-ms', 'dnsLatencyMs', 'added to every DNS answer'),
];

const flagByName = new Map(flags.map((f) => [f.name, f]));

function column(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

/** The `--help` text: every flag, every fault and every profile, one line each. */
export function helpText(): string {
  return [
    'usage: npm run sim -- [--kubeconfig-out PATH] [--fault NAME[:ARG]]... [options]',
    '',
    'Runs a simulated Kubernetes cluster on 127.0.0.1 until Ctrl-C.',
    '',
    'options:',
    column([
      ...flags.map((f): [string, string] => [f.value ? `${f.name} ${f.value}` : f.name, f.help]),
      ['--help, -h', 'this text'],
    ]),
    '',
    'faults (--fault, or at run time through the control endpoint):',
    column(FAULT_NAMES.map((name): [string, string] => [faultUsage(name), faultCatalog[name].summary])),
    '',
    'profiles (--profile; every fault applies unless the profile lacks its component):',
    column(PROFILE_NAMES.map((name): [string, string] => [name, getProfile(name).summary])),
    '',
  ].join('\n');
}

/** Short usage shown after a usage error. */
export const usage = 'usage: npm run sim -- [--kubeconfig-out PATH] [--fault NAME]... [options]   (--help lists them)';

export function parseCliOptions(argv: string[]): CliOptions {
  const out: CliOptions = { cluster: { faults: [], latencies: {} } };
  const args = [...argv];
  while (args.length > 0) {
    const raw = args.shift()!;
    if (raw === '--help' || raw === '-h') throw new HelpRequested(helpText());
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const flag = flagByName.get(name);
    if (!flag) throw new UsageError(`unknown option ${raw}\n${usage}`);
    if (!flag.value) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      flag.apply(out, '');
      continue;
    }
    const value = inline ?? args.shift();
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value (${flag.value})`);
    }
    flag.apply(out, value);
  }
  // A fault the chosen profile has no component for is a usage error, whichever flag came first.
  for (const spec of out.cluster.faults ?? []) {
    const refusal = faultRefusal(out.cluster.profile ?? 'kthw', parseFault(spec).name);
    if (refusal) throw new UsageError(`--fault: ${refusal}`);
  }
  return out;
}
