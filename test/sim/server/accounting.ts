/**
 * Counts what clients asked of the API server: requests by verb and resource (for the
 * benchmark's accounting) and by verb/resource/code for `/metrics`.
 */

export interface AccountingSnapshot {
  total: number;
  /** `{ list: { pods: 3 }, create: { 'pods/exec': 1 } }` */
  requests: Record<string, Record<string, number>>;
  watchesOpened: number;
  /** TLS connections the API server accepted, and how many of them resumed a TLS session. */
  tlsConnectionsOpened: number;
  tlsSessionsResumed: number;
}

/** One request as the benchmark's polling detector sees it (`trackRequests`). */
export interface RequestLogEntry {
  at: number;
  verb: string;
  /** Path and the query parameters that make two requests the same question (no resourceVersion). */
  key: string;
}

/** Query parameters that differ between identical questions (a reflector's resume point, time-outs). */
const VOLATILE_PARAMS = ['resourceVersion', 'timeoutSeconds', 'allowWatchBookmarks', 'resourceVersionMatch'];
/** Bound on the request log, so a long-running sim does not grow without end. */
const REQUEST_LOG_LIMIT = 20_000;

interface MetricKey {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  code: number;
}

/** apiserver_request_total's verb label: LIST/WATCH/GET/POST/PUT/PATCH/DELETE/CONNECT... */
function metricVerb(verb: string, subresource: string): string {
  if (['exec', 'attach', 'portforward', 'proxy'].includes(subresource)) return 'CONNECT';
  const map: Record<string, string> = {
    get: 'GET',
    list: 'LIST',
    watch: 'WATCH',
    create: 'POST',
    update: 'PUT',
    patch: 'PATCH',
    delete: 'DELETE',
    deletecollection: 'DELETE',
  };
  return map[verb] ?? verb.toUpperCase();
}

export class Accounting {
  private total = 0;
  private readonly requests: Record<string, Record<string, number>> = {};
  private watchesOpened = 0;
  private tlsConnectionsOpened = 0;
  private tlsSessionsResumed = 0;
  private readonly log: RequestLogEntry[] = [];
  private readonly metrics = new Map<string, { key: MetricKey; count: number }>();

  record(
    info: {
      verb: string;
      group: string;
      version: string;
      resource: string;
      subresource: string;
      namespace?: string;
      name: string;
    },
    code: number,
    /** The request's URL, for the request log. */
    url?: string,
  ): void {
    this.total++;
    if (url !== undefined && this.log.length < REQUEST_LOG_LIMIT) {
      const parsed = new URL(url, 'https://sim');
      for (const p of VOLATILE_PARAMS) parsed.searchParams.delete(p);
      parsed.searchParams.sort();
      this.log.push({ at: Date.now(), verb: info.verb, key: `${parsed.pathname}${parsed.search}` });
    }
    const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource || '(non-resource)';
    const byVerb = this.requests[info.verb] ?? {};
    this.requests[info.verb] = byVerb;
    byVerb[resource] = (byVerb[resource] ?? 0) + 1;
    if (!info.resource) return;
    const scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
    const key: MetricKey = {
      verb: metricVerb(info.verb, info.subresource),
      group: info.group,
      version: info.version,
      resource: info.resource,
      subresource: info.subresource,
      scope,
      code,
    };
    const id = JSON.stringify(key);
    const entry = this.metrics.get(id) ?? { key, count: 0 };
    entry.count++;
    this.metrics.set(id, entry);
  }

  watchOpened(): void {
    this.watchesOpened++;
  }

  /** A TLS handshake completed on the API server's listener. */
  tlsConnection(resumed: boolean): void {
    this.tlsConnectionsOpened++;
    if (resumed) this.tlsSessionsResumed++;
  }

  snapshot(): AccountingSnapshot {
    return {
      total: this.total,
      requests: structuredClone(this.requests),
      watchesOpened: this.watchesOpened,
      tlsConnectionsOpened: this.tlsConnectionsOpened,
      tlsSessionsResumed: this.tlsSessionsResumed,
    };
  }

  /** Every request since the last reset, in order (bounded), for finding polling patterns. */
  requestLog(): RequestLogEntry[] {
    return [...this.log];
  }

  reset(): void {
    this.total = 0;
    this.watchesOpened = 0;
    this.tlsConnectionsOpened = 0;
    this.tlsSessionsResumed = 0;
    this.log.length = 0;
    for (const k of Object.keys(this.requests)) delete this.requests[k];
    this.metrics.clear();
  }

  /** Prometheus text for apiserver_request_total, labels as kube-apiserver names them. */
  metricsText(): string {
    const lines = [
      '# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      '# TYPE apiserver_request_total counter',
    ];
    for (const { key, count } of this.metrics.values()) {
      lines.push(
        `apiserver_request_total{code="${key.code}",component="apiserver",dry_run="",group="${key.group}",resource="${key.resource}",scope="${key.scope}",subresource="${key.subresource}",verb="${key.verb}",version="${key.version}"} ${count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
