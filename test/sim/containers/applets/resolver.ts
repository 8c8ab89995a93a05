/**
 * The C library's name lookup inside a container (what busybox wget calls): /etc/hosts first,
 * then /etc/resolv.conf's nameserver with its search list and ndots, A records only.
 */
import { isIPv6 } from 'node:net';
import { RESOLVER_ATTEMPTS, RESOLVER_TIMEOUT_MS, waitTimeout } from '../../network/timing.js';
import type { ProcessEnv } from '../types.js';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

export function isIPv4(text: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(text) && text.split('.').every((n) => Number(n) < 256);
}

export function parseResolvConf(text: string | undefined): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1 };
  for (const line of (text ?? '').split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) conf.nameservers.push(rest[0]);
    if (key === 'search' || key === 'domain') conf.search = rest;
    if (key === 'options') {
      const ndots = rest.find((o) => o.startsWith('ndots:'));
      if (ndots) conf.ndots = Number(ndots.slice(6));
    }
  }
  if (conf.nameservers.length === 0) conf.nameservers.push('127.0.0.1');
  return conf;
}

function fromHosts(hosts: string | undefined, name: string): string | undefined {
  for (const line of (hosts ?? '').split('\n')) {
    const [address, ...names] = line.split('#')[0]!.trim().split(/\s+/);
    if (address && isIPv4(address) && names.includes(name)) return address;
  }
  return undefined;
}

/** Candidate FQDNs in the order glibc tries them. */
export function searchCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((domain) => `${name}.${domain}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/** Resolves `name` to an IPv4 address (else an IPv6 one), or undefined when it cannot (busybox: "bad address"). */
export async function resolveHost(proc: ProcessEnv, name: string): Promise<string | undefined> {
  if (isIPv4(name) || isIPv6(name)) return name;
  const local = fromHosts(proc.ctx.files.get('/etc/hosts'), name);
  if (local) return local;
  const conf = parseResolvConf(proc.ctx.files.get('/etc/resolv.conf'));
  const server = conf.nameservers[0]!;
  for (const candidate of searchCandidates(name, conf)) {
    const outcome = await proc.ctx.network.queryDns(server, 53, { name: candidate, type: 'A' });
    if (outcome.kind === 'dropped') {
      await waitTimeout(proc.ctx.timing, RESOLVER_TIMEOUT_MS * RESOLVER_ATTEMPTS, proc.signal);
      return undefined;
    }
    if (outcome.kind === 'refused') return undefined;
    const address = outcome.reply.answers.find((a) => a.type === 'A')?.address;
    if (outcome.reply.rcode === 'NOERROR' && address) return address;
    // No IPv4 address (an IPv6-only cluster): getaddrinfo(AF_UNSPEC) returns the AAAA one.
    if (outcome.reply.rcode === 'NOERROR') {
      const v6 = await proc.ctx.network.queryDns(server, 53, { name: candidate, type: 'AAAA' });
      const address6 = v6.kind === 'reply' ? v6.reply.answers.find((a) => a.type === 'AAAA')?.address : undefined;
      if (address6) return address6;
    }
  }
  return undefined;
}
