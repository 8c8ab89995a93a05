import type { Registry } from 'prom-client';
import type { AuditStore } from '../db/store.js';
import type { AuditRunner } from '../engine/service/runner.js';
import type { Catalog } from '../kernel/catalog.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import type { HttpCallbacks } from '../webhook/intake.js';
import type { StreamSlots } from './stream-slots.js';
import type { Tenant } from './tenants.js';

/** Settings the HTTP layer needs (a subset of the process config, so tests can build it inline). */
export interface HttpSettings {
  /** KUBEPROOF_API_TOKENS entries (`name:token`, `name:sha256:<hex>`, `token`); empty means `/v1` is open. */
  apiTokens: readonly string[];
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Server-Sent Event streams one tenant may hold open (default 8). */
  maxEventStreamsPerTenant?: number;
  /** Interval of the SSE heartbeat comment on open event streams (default 15 s; tests shorten it). */
  sseHeartbeatMs?: number;
  /** Names of the KUBEPROOF_CALLBACK_SECRETS entries a request may name as `callbackSecret` (never the values). */
  callbackSecretNames?: readonly string[];
  /** Where http:// callbacks may go (default `never`: https only). */
  httpCallbacks?: HttpCallbacks;
  /** KUBEPROOF_METRICS_TOKEN: when set, `GET /metrics` requires it as a bearer token. */
  metricsToken?: string;
  /** KUBEPROOF_AUDIT_NAMESPACE: the existing namespace an audit runs in when its options name none. */
  defaultNamespace?: string | undefined;
}

/** Everything createApp needs, injected (never imported as singletons). */
export interface AppDeps {
  store: AuditStore;
  runner: AuditRunner;
  catalog: Catalog;
  clock: Clock;
  logger: Logger;
  /** Checks every target a request names (API server, etcd endpoints) at intake. */
  outbound: OutboundPolicy;
  /** This app's metrics (`GET /metrics`); never prom-client's global default registry. */
  metrics: Registry;
  settings: HttpSettings;
}

/** Hono environment: the dependencies travel as typed context variables, with the caller's tenant. */
export interface AppEnv {
  Variables: AppDeps & {
    /** Who is calling (set by bearerAuth); undefined when the API is open (no tokens configured). */
    principal?: Tenant;
    /** Open event streams per tenant (created by createApp from the settings). */
    streamSlots: StreamSlots;
    /** This request's id (X-Request-Id: the caller's when sane, else generated); on its access log line. */
    requestId: string;
  };
}
