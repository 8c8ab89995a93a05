/**
 * What CoreDNS's kubernetes plugin answers, read from the store: `<svc>.<ns>.svc.<domain>` →
 * ClusterIP (headless: ready endpoint IPs), `<a-b-c-d>.<ns>.pod.<domain>` → that IP, NXDOMAIN
 * otherwise. Answers inside the cluster domain are authoritative; A carries the IPv4 addresses and
 * AAAA the IPv6 ones (a name without one of that family: an empty NOERROR).
 * Fault `coredns-nxdomain`: Service names get NXDOMAIN.
 */

import type { DnsQuestion, DnsReply } from '../containers/types.js';
import type { ClusterView } from '../contracts.js';
import { bigIntToIp, familyOf, ipToBigInt, isIPv6 } from './ip.js';
import { readyAddresses } from './topology.js';

const nxdomain = (authoritative: boolean): DnsReply => ({ rcode: 'NXDOMAIN', authoritative, answers: [] });

function addresses(view: ClusterView, labels: string[]): string[] | undefined {
  const [first, second, kind, ...rest] = labels;
  if (rest.length > 0 || first === undefined || second === undefined) return undefined;
  if (kind === 'svc') {
    if (view.faults.has('coredns-nxdomain')) return undefined;
    const service = view.store.get('services', second, first);
    if (!service) return undefined;
    const clusterIP: string | undefined = service.spec?.clusterIP;
    // Every ClusterIP (dual-stack: one per family; A and AAAA pick theirs).
    return clusterIP && clusterIP !== 'None'
      ? (service.spec?.clusterIPs ?? [clusterIP])
      : readyAddresses(view.store, second, first);
  }
  if (kind === 'pod') {
    // `10-200-0-5` for IPv4; IPv6 pod names write the address with `-` for `:` (`fd00-10-244-1--5`).
    const ip4 = first.replace(/-/g, '.');
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip4)) return [ip4];
    const ip6 = first.replace(/-/g, ':');
    return isIPv6(ip6) ? [bigIntToIp(ipToBigInt(ip6), 'IPv6')] : undefined;
  }
  return undefined;
}

export function clusterDnsAnswer(view: ClusterView, question: DnsQuestion): DnsReply {
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const suffix = `.${view.clusterDomain}`;
  // Outside the cluster zone CoreDNS forwards upstream; the simulation has no upstream.
  if (!name.endsWith(suffix)) return nxdomain(false);
  const found = addresses(view, name.slice(0, -suffix.length).split('.'));
  if (!found) return nxdomain(true);
  // A answers the IPv4 addresses, AAAA the IPv6 ones; a name without one of that family is an empty NOERROR.
  const family = question.type === 'AAAA' ? 'IPv6' : 'IPv4';
  return {
    rcode: 'NOERROR',
    authoritative: true,
    answers: found
      .filter((address) => familyOf(address) === family)
      .map((address) => ({ name: question.name.replace(/\.$/, ''), type: question.type, address })),
  };
}
