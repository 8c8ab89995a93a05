/**
 * What CoreDNS's kubernetes plugin answers, read from the store: `<svc>.<ns>.svc.<domain>` →
 * ClusterIP (headless: ready endpoint IPs), `<a-b-c-d>.<ns>.pod.<domain>` → that IP, NXDOMAIN
 * otherwise. Answers inside the cluster domain are authoritative; AAAA gets an empty NOERROR.
 * Fault `coredns-nxdomain`: Service names get NXDOMAIN.
 */

import type { DnsQuestion, DnsReply } from '../containers/types.js';
import type { ClusterView } from '../contracts.js';
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
    return clusterIP && clusterIP !== 'None' ? [clusterIP] : readyAddresses(view.store, second, first);
  }
  if (kind === 'pod') {
    const ip = first.replace(/-/g, '.');
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? [ip] : undefined;
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
  if (question.type === 'AAAA') return { rcode: 'NOERROR', authoritative: true, answers: [] };
  return {
    rcode: 'NOERROR',
    authoritative: true,
    answers: found.map((address) => ({ name: question.name.replace(/\.$/, ''), type: 'A' as const, address })),
  };
}
