import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext } from '../../types.js';
import { execInClient } from './client.js';

export interface ClusterDomain {
  domain: string;
  /** Where it came from, said in the report. */
  source: string;
  /** Set when the domain is a guess (nothing said it): the report warns. */
  warning?: string;
}

/** The conventional cluster domain, used only when neither the request nor resolv.conf names one. */
const FALLBACK_DOMAIN = 'cluster.local';

/**
 * The cluster domain from the client pod's `/etc/resolv.conf`: for a ClusterFirst pod the kubelet
 * writes the search list `<ns>.svc.<domain> svc.<domain> <domain>` followed by the node's own
 * search domains (pkg/kubelet/network/dns/dns.go, generateSearchesForDNSClusterFirst).
 */
export function domainFromResolvConf(text: string, namespace: string): { domain: string; line: string } | undefined {
  let search: string[] = [];
  let line = '';
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    // As the kubelet and glibc read it: the last `search` line wins.
    if (fields[0] === 'search') {
      search = fields.slice(1).map((s) => s.replace(/\.$/, ''));
      line = raw.trim();
    }
  }
  const prefix = `${namespace}.svc.`;
  const entry = search.find((s) => s.startsWith(prefix) && s.length > prefix.length);
  return entry ? { domain: entry.slice(prefix.length), line } : undefined;
}

/** The request's `options.clusterDomain` when given, else the client pod's resolv.conf, else cluster.local. */
export async function clusterDomain(ctx: CheckContext, w: WorkloadHandle): Promise<ClusterDomain> {
  const requested = ctx.options.clusterDomain;
  if (requested) return { domain: requested, source: 'the request (options.clusterDomain)' };
  const out = await execInClient(ctx, ['cat', '/etc/resolv.conf']);
  const found = out.exitCode === 0 ? domainFromResolvConf(out.stdout, w.namespace) : undefined;
  if (found) return { domain: found.domain, source: `the client pod's /etc/resolv.conf (${found.line})` };
  return {
    domain: FALLBACK_DOMAIN,
    source: `the default ${FALLBACK_DOMAIN}`,
    warning: `the client pod's /etc/resolv.conf has no ${w.namespace}.svc.<domain> search entry (${out.exitCode === 0 ? 'dnsPolicy or kubelet clusterDomain unset?' : out.stderr.trim() || `cat exited ${out.exitCode}`}); ${FALLBACK_DOMAIN} was assumed: pass options.clusterDomain if the cluster uses another`,
  };
}
