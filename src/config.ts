import { isIP } from 'node:net';
import { z } from 'zod';
import { SharedNamespace } from './checks/workload-options.js';
import type { ServerLimits } from './http/server-limits.js';
import { parseApiTokens, tenantCount } from './http/tenants.js';
import { LOG_LEVELS, type LogLevel } from './kernel/logger.js';
import { commaList } from './kernel/text.js';
import { CLUSTER_LABELS, type ClusterLabel } from './metrics/cluster-series.js';
import { parseAllowedTargets, type TargetRule } from './net/outbound-policy.js';
import type { HttpCallbacks } from './webhook/intake.js';
import { parseCallbackSecrets } from './webhook/secrets.js';

const intFrom = <F extends number | undefined>(name: string, min: number, max: number, fallback: F) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | F => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

const flag = (name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
      if (raw === '1' || raw === 'true') return true;
      ctx.addIssue({ code: 'custom', message: `${name} must be 1 or 0, got "${raw}"` });
      return z.NEVER;
    });

const EnvSchema = z.object({
  PORT: intFrom('PORT', 0, 65535, 8080),
  HOST: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const host = raw?.trim() || '127.0.0.1';
      if (host !== 'localhost' && isIP(host) === 0) {
        ctx.addIssue({ code: 'custom', message: `HOST must be an IP address or "localhost", got "${raw}"` });
        return z.NEVER;
      }
      return host;
    }),
  KUBEPROOF_DB: z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || './data/kubeproof.db'),
  KUBEPROOF_API_TOKENS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const entries = commaList(raw ?? '');
      try {
        // Validated here so a bad entry stops start-up; messages name positions, never tokens.
        parseApiTokens(entries);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `KUBEPROOF_API_TOKENS: ${(err as Error).message}` });
        return z.NEVER;
      }
      return entries;
    }),
  KUBEPROOF_ALLOW_UNAUTHENTICATED: flag('KUBEPROOF_ALLOW_UNAUTHENTICATED'),
  KUBEPROOF_MAX_CONCURRENT_AUDITS: intFrom('KUBEPROOF_MAX_CONCURRENT_AUDITS', 1, 64, 4),
  KUBEPROOF_MAX_QUEUED_AUDITS: intFrom('KUBEPROOF_MAX_QUEUED_AUDITS', 0, 10_000, 100),
  // Audits of one API server at once; more wait in the queue (never above the overall limit).
  KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER: intFrom('KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER', 1, 64, 8),
  // 0: derived (the whole limit with one tenant, half of it with several).
  KUBEPROOF_TENANT_MAX_CONCURRENT_AUDITS: intFrom('KUBEPROOF_TENANT_MAX_CONCURRENT_AUDITS', 0, 64, 0),
  KUBEPROOF_TENANT_MAX_QUEUED_AUDITS: intFrom('KUBEPROOF_TENANT_MAX_QUEUED_AUDITS', 0, 10_000, 0),
  KUBEPROOF_MAX_EVENT_STREAMS_PER_TENANT: intFrom('KUBEPROOF_MAX_EVENT_STREAMS_PER_TENANT', 1, 1000, 8),
  KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS: intFrom('KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS', 1, 300, 20),
  KUBEPROOF_NAMESPACE_LAPSE_SECONDS: intFrom('KUBEPROOF_NAMESPACE_LAPSE_SECONDS', 2, 3600, 90),
  KUBEPROOF_REQUEST_TIMEOUT_SECONDS: intFrom('KUBEPROOF_REQUEST_TIMEOUT_SECONDS', 1, 600, 30),
  KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT: intFrom('KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT', 1, 10_000, 64),
  KUBEPROOF_AUDIT_DEADLINE_SECONDS: intFrom('KUBEPROOF_AUDIT_DEADLINE_SECONDS', 10, 86_400, 300),
  // Unset: keep every run forever.
  KUBEPROOF_RETENTION_DAYS: intFrom('KUBEPROOF_RETENTION_DAYS', 1, 36_500, undefined),
  KUBEPROOF_ALLOWED_TARGETS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseAllowedTargets(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `KUBEPROOF_ALLOWED_TARGETS: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  // Least-privilege mode for every audit whose options name no namespace.
  KUBEPROOF_AUDIT_NAMESPACE: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const name = raw?.trim() || undefined;
      if (name === undefined || SharedNamespace.safeParse(name).success) return name;
      ctx.addIssue({
        code: 'custom',
        message: `KUBEPROOF_AUDIT_NAMESPACE must be a namespace name (lowercase letters, digits, "-", at most 63), got "${raw}"`,
      });
      return z.NEVER;
    }),
  KUBEPROOF_RUNBOOK: z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || undefined),
  // Unset: GET /metrics is open (like the probes).
  KUBEPROOF_METRICS_TOKEN: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const token = raw?.trim() || undefined;
      if (token !== undefined && !/^[\x21-\x7e]{16,}$/.test(token)) {
        // Never echo the value: it is a secret.
        ctx.addIssue({
          code: 'custom',
          message: 'KUBEPROOF_METRICS_TOKEN must be at least 16 printable characters without spaces',
        });
        return z.NEVER;
      }
      return token;
    }),
  // Unset or empty: no per-cluster gauges (the server URL is a label only when an operator asks for it).
  KUBEPROOF_METRICS_CLUSTER_LABELS: z
    .string()
    .optional()
    .transform((raw, ctx): ClusterLabel[] => {
      const names = commaList(raw ?? '');
      const unknown = names.filter((n) => !(CLUSTER_LABELS as string[]).includes(n));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `KUBEPROOF_METRICS_CLUSTER_LABELS: unknown label ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${CLUSTER_LABELS.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(names)] as ClusterLabel[];
    }),
  KUBEPROOF_METRICS_MAX_CLUSTERS: intFrom('KUBEPROOF_METRICS_MAX_CLUSTERS', 1, 10_000, 100),
  KUBEPROOF_CALLBACK_SECRETS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        // Messages name entries by position and name, never a value.
        return parseCallbackSecrets(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `KUBEPROOF_CALLBACK_SECRETS: ${(err as Error).message}` });
        return z.NEVER;
      }
    }),
  KUBEPROOF_CALLBACK_ALLOW_HTTP: flag('KUBEPROOF_CALLBACK_ALLOW_HTTP'),
  KUBEPROOF_LOG_LEVEL: z
    .string()
    .optional()
    .transform((raw, ctx): LogLevel => {
      const level = (raw?.trim() || 'info').toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(level)) {
        ctx.addIssue({
          code: 'custom',
          message: `KUBEPROOF_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`,
        });
        return z.NEVER;
      }
      return level as LogLevel;
    }),
});

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  apiTokens: string[];
  allowUnauthenticated: boolean;
  maxConcurrentAudits: number;
  /** Audits of one API server (kubeconfig server URL) at once. */
  clusterMaxConcurrentAudits: number;
  /** Audits waiting at most; past it POST /v1/audits answers 429. */
  maxQueuedAudits: number;
  /** One tenant's share of the running and waiting audits. */
  tenantMaxConcurrentAudits: number;
  tenantMaxQueuedAudits: number;
  maxEventStreamsPerTenant: number;
  auditDeadlineSeconds: number;
  /** Replacement component → article mapping file (validated by the checks' guide module). */
  runbookPath: string | undefined;
  bodyLimitBytes: number;
  /** KUBEPROOF_RETENTION_DAYS: finished runs older than this are deleted; undefined keeps them forever. */
  retentionDays: number | undefined;
  /** How often a live run renews its namespace's heartbeat, and how long one may lapse before the sweep. */
  namespaceHeartbeatSeconds: number;
  namespaceLapseSeconds: number;
  /** Timeouts and connection cap of the listening socket. */
  serverLimits: ServerLimits;
  /** KUBEPROOF_ALLOWED_TARGETS; undefined: the default outbound policy. */
  allowedTargets: TargetRule[] | undefined;
  /** KUBEPROOF_METRICS_TOKEN: bearer token `GET /metrics` requires; undefined: open. */
  metricsToken: string | undefined;
  /** KUBEPROOF_METRICS_CLUSTER_LABELS: labels of the per-cluster gauges; empty: none. */
  metricsClusterLabels: ClusterLabel[];
  /** KUBEPROOF_METRICS_MAX_CLUSTERS: distinct clusters the per-cluster gauges keep. */
  metricsMaxClusters: number;
  /** KUBEPROOF_CALLBACK_SECRETS: name → value; requests name them, the values only sign. */
  callbackSecrets: ReadonlyMap<string, string>;
  /** Where http:// callbacks may go: anywhere (KUBEPROOF_CALLBACK_ALLOW_HTTP=1), loopback when listening on loopback, else never. */
  httpCallbacks: HttpCallbacks;
  /** KUBEPROOF_LOG_LEVEL: lines below it are dropped (default info). */
  logLevel: LogLevel;
  /** KUBEPROOF_AUDIT_NAMESPACE: the existing namespace audits run in when their options name none. */
  auditNamespace: string | undefined;
}

/** Invalid environment; `problems` lists every bad value, never a token. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Whether the listen address is reachable from this host only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * Each tenant's share of the runner: as configured, or (0) the whole limit when one tenant is
 * configured and half of it (rounded up) when several share the service.
 */
function tenantShares(e: z.infer<typeof EnvSchema>) {
  const several = tenantCount(parseApiTokens(e.KUBEPROOF_API_TOKENS)) > 1;
  const share = (limit: number, configured: number) =>
    configured > 0 ? Math.min(configured, limit) : several ? Math.max(1, Math.ceil(limit / 2)) : limit;
  return {
    tenantMaxConcurrentAudits: share(e.KUBEPROOF_MAX_CONCURRENT_AUDITS, e.KUBEPROOF_TENANT_MAX_CONCURRENT_AUDITS),
    tenantMaxQueuedAudits: share(e.KUBEPROOF_MAX_QUEUED_AUDITS, e.KUBEPROOF_TENANT_MAX_QUEUED_AUDITS),
  };
}

/**
 * Reads and validates the environment. Throws ConfigError listing every bad value.
 * @example loadConfig({ PORT: '0', KUBEPROOF_DB: ':memory:' })
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message));
  const e = parsed.data;
  if (e.KUBEPROOF_API_TOKENS.length === 0 && !isLoopback(e.HOST) && !e.KUBEPROOF_ALLOW_UNAUTHENTICATED) {
    throw new ConfigError([
      `HOST=${e.HOST} is not a loopback address and KUBEPROOF_API_TOKENS is empty: anyone on the network could submit audits. ` +
        'Set KUBEPROOF_API_TOKENS (comma-separated bearer tokens), or KUBEPROOF_ALLOW_UNAUTHENTICATED=1 if a proxy in front authenticates.',
    ]);
  }
  if (e.KUBEPROOF_NAMESPACE_LAPSE_SECONDS < 2 * e.KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS) {
    // A lapse shorter than two beats would let one slow renewal get a live run's namespace swept.
    throw new ConfigError([
      `KUBEPROOF_NAMESPACE_LAPSE_SECONDS (${e.KUBEPROOF_NAMESPACE_LAPSE_SECONDS}) must be at least twice KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS (${e.KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS})`,
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dbPath: e.KUBEPROOF_DB,
    apiTokens: e.KUBEPROOF_API_TOKENS,
    allowUnauthenticated: e.KUBEPROOF_ALLOW_UNAUTHENTICATED,
    maxConcurrentAudits: e.KUBEPROOF_MAX_CONCURRENT_AUDITS,
    clusterMaxConcurrentAudits: Math.min(
      e.KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER,
      e.KUBEPROOF_MAX_CONCURRENT_AUDITS,
    ),
    maxQueuedAudits: e.KUBEPROOF_MAX_QUEUED_AUDITS,
    ...tenantShares(e),
    maxEventStreamsPerTenant: e.KUBEPROOF_MAX_EVENT_STREAMS_PER_TENANT,
    auditDeadlineSeconds: e.KUBEPROOF_AUDIT_DEADLINE_SECONDS,
    runbookPath: e.KUBEPROOF_RUNBOOK,
    bodyLimitBytes: 1024 * 1024,
    retentionDays: e.KUBEPROOF_RETENTION_DAYS,
    allowedTargets: e.KUBEPROOF_ALLOWED_TARGETS,
    metricsToken: e.KUBEPROOF_METRICS_TOKEN,
    metricsClusterLabels: e.KUBEPROOF_METRICS_CLUSTER_LABELS,
    metricsMaxClusters: e.KUBEPROOF_METRICS_MAX_CLUSTERS,
    callbackSecrets: e.KUBEPROOF_CALLBACK_SECRETS,
    httpCallbacks: e.KUBEPROOF_CALLBACK_ALLOW_HTTP ? 'any' : isLoopback(e.HOST) ? 'loopback' : 'never',
    logLevel: e.KUBEPROOF_LOG_LEVEL,
    auditNamespace: e.KUBEPROOF_AUDIT_NAMESPACE,
    namespaceHeartbeatSeconds: e.KUBEPROOF_NAMESPACE_HEARTBEAT_SECONDS,
    namespaceLapseSeconds: e.KUBEPROOF_NAMESPACE_LAPSE_SECONDS,
    serverLimits: {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: e.KUBEPROOF_REQUEST_TIMEOUT_SECONDS * 1000,
      maxConnectionsPerClient: e.KUBEPROOF_MAX_CONNECTIONS_PER_CLIENT,
    },
  };
}
