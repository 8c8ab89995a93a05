/**
 * The standalone simulation's command line (issue 3): `--kubeconfig-out PATH`, `--fault NAME`
 * (repeatable), `--nodes N`, `--no-pod-cidr`, `--cluster-domain D`, `--encryption
 * PROVIDER[:KEY]`, `--etcd URL`, `--pod-start-ms`, `--endpoint-delay-ms`, `--api-latency-ms`,
 * `--dns-latency-ms`, `--port`, `--control-port`. Each flag also accepts `--flag=value`.
 */
import type { Latencies } from './contracts.js';
import { parseFault } from './faults.js';
import type { SimClusterOptions } from './index.js';
import { PROVIDER_NAMES, type ProviderName } from './storage/index.js';

export interface CliOptions {
  kubeconfigOut?: string;
  cluster: SimClusterOptions;
}

export class UsageError extends Error {}

const latencyFlags: Record<string, keyof Latencies> = {
  '--pod-start-ms': 'podStartMs',
  '--endpoint-delay-ms': 'endpointDelayMs',
  '--api-latency-ms': 'apiLatencyMs',
  '--dns-latency-ms': 'dnsLatencyMs',
};

export const usage = `usage: npm run sim -- --kubeconfig-out PATH [--fault NAME]... [--nodes N] [--no-pod-cidr]
       [--cluster-domain DOMAIN] [--encryption PROVIDER[:KEY]] [--etcd URL] [--port PORT] [--control-port PORT]
       [--pod-start-ms MS] [--endpoint-delay-ms MS] [--api-latency-ms MS] [--dns-latency-ms MS]`;

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a non-negative integer, got "${value}"`);
  return Number(value);
}

export function parseCliOptions(argv: string[]): CliOptions {
  const cluster: SimClusterOptions = { faults: [], latencies: {} };
  const out: CliOptions = { cluster };
  const args = [...argv];
  while (args.length > 0) {
    const raw = args.shift()!;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--kubeconfig-out':
        out.kubeconfigOut = value();
        break;
      case '--fault': {
        const spec = value();
        try {
          parseFault(spec);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        cluster.faults!.push(spec);
        break;
      }
      case '--nodes':
        cluster.nodes = nonNegativeInt(flag, value());
        break;
      case '--no-pod-cidr':
        cluster.podCidr = false;
        break;
      case '--cluster-domain':
        cluster.clusterDomain = value();
        break;
      case '--encryption': {
        const [provider = '', keyName] = value().split(':');
        if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
          throw new UsageError(`--encryption: unknown provider "${provider}"; one of ${PROVIDER_NAMES.join(', ')}`);
        }
        const name = provider as ProviderName;
        cluster.encryption = keyName ? { provider: name, keyName } : { provider: name };
        break;
      }
      case '--etcd':
        cluster.etcd = { endpoints: value().split(',') };
        break;
      case '--port':
        cluster.port = nonNegativeInt(flag, value());
        break;
      case '--control-port':
        cluster.controlPort = nonNegativeInt(flag, value());
        break;
      case '--help':
      case '-h':
        throw new UsageError(usage);
      default: {
        const latency = latencyFlags[flag];
        if (!latency) throw new UsageError(`unknown option ${raw}\n${usage}`);
        cluster.latencies![latency] = nonNegativeInt(flag, value());
      }
    }
  }
  return out;
}
