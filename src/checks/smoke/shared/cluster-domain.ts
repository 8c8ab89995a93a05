import type { ExecResult } from '../../../kube/cluster-access.js';
import type { WorkloadHandle } from '../../../workload/types.js';
import type { CheckContext } from '../../types.js';

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

/** What the client pod is asked for its resolv.conf (run inside dns.service's batch). */
export const RESOLV_CONF_COMMAND = ['cat', '/etc/resolv.conf'] as const;

/** The domain the request names, when it does: then resolv.conf is not read at all. */
export function requestedDomain(ctx: CheckContext): ClusterDomain | undefined {
  const requested = ctx.options.clusterDomain;
  return requested ? { domain: requested, source: 'the request (options.clusterDomain)' } : undefined;
}

/** The domain used before resolv.conf is read: the request's, or the conventional one. */
export const expectedDomain = (ctx: CheckContext) => requestedDomain(ctx)?.domain ?? FALLBACK_DOMAIN;

/** From `cat /etc/resolv.conf` in the client pod (RESOLV_CONF_COMMAND): its domain, else cluster.local. */
export function domainFromClient(out: ExecResult, w: WorkloadHandle): ClusterDomain {
  const found = out.exitCode === 0 ? domainFromResolvConf(out.stdout, w.namespace) : undefined;
  if (found) return { domain: found.domain, source: `the client pod's /etc/resolv.conf (${found.line})` };
  return {
    domain: FALLBACK_DOMAIN,
    source: `the default ${FALLBACK_DOMAIN}`,
    warning: `the client pod's /etc/resolv.conf has no ${w.namespace}.svc.<domain> search entry (${out.exitCode === 0 ? 'dnsPolicy or kubelet clusterDomain unset?' : out.stderr.trim() || `cat exited ${out.exitCode}`}); ${FALLBACK_DOMAIN} was assumed: pass options.clusterDomain if the cluster uses another`,
  };
}
