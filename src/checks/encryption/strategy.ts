/** What every evidence strategy of `secrets.encryption` receives and returns. */

import { type ClusterAccess, ClusterError } from '../../kube/cluster-access.js';
import type { EtcdAccess } from '../options.js';
import type { SampleSummary } from './sample.js';
import type { StoredProvider } from './stored-value.js';

export type StrategyName = 'etcd-direct' | 'etcd-exec' | 'apiserver-metrics' | 'apiserver-flags';

/** Strongest first: the order `auto` tries them in. */
export const STRATEGY_ORDER: readonly StrategyName[] = [
  'etcd-direct',
  'etcd-exec',
  'apiserver-metrics',
  'apiserver-flags',
];

/** What a strategy has before the marker Secret is written. */
export interface BeforeInput {
  cluster: ClusterAccess;
  signal: AbortSignal;
  etcd: EtcdAccess | undefined;
  /** Where the marker Secret goes. */
  namespace: string;
}

export interface StrategyInput extends BeforeInput {
  /** The marker Secret, already written. */
  secretName: string;
  etcdKey: string;
  /**
   * Writes one more marker Secret (same value, a new name) and resolves with its name: for a
   * strategy that must watch a write happen but skipped its look before the first one.
   */
  writeMarkerAgain(): Promise<string>;
}

/** The stored bytes of the marker Secret (strategies 1–2); the check reads them, never reports them. */
export interface RawEvidence {
  kind: 'raw';
  value: Buffer;
  /** Where the bytes were read: `etcd https://10.0.0.10:2379` or `kube-system/etcd-cp1 (etcdctl)`. */
  source: string;
  sample?: SampleSummary;
}

/** Indirect evidence (strategies 3–4): what the apiserver says about itself. */
export interface IndirectEvidence {
  kind: 'indirect';
  encrypted: boolean;
  provider?: StoredProvider;
  keyName?: string;
  /** One line for the summary: what was seen. */
  observation: string;
  details: Record<string, unknown>;
}

/**
 * Why a strategy could not gather evidence, as far as a managed control plane is concerned:
 * `not-configured` (etcd access not given), `absent` (the control-plane pieces it reads are not
 * in the cluster: no static pod, no metric series), `denied` (the API server refused us),
 * `failed` (anything else).
 */
export type UnavailableWhy = 'not-configured' | 'absent' | 'denied' | 'failed';

export interface Unavailable {
  kind: 'unavailable';
  reason: string;
  why: UnavailableWhy;
}

export type StrategyResult = RawEvidence | IndirectEvidence | Unavailable;

export interface EvidenceStrategy {
  name: StrategyName;
  /**
   * Runs before the marker Secret is written, strongest strategy first, and resolves whether this
   * strategy expects to answer (etcd access configured, the etcd static pod found). `stronger`:
   * whether a stronger one already expects to; then a strategy skips what costs requests and only
   * matters if it is reached after all (it does that in gather).
   */
  before?(input: BeforeInput, stronger: boolean): Promise<boolean>;
  gather(input: StrategyInput): Promise<StrategyResult>;
}

/** A strategy's answer when it cannot gather evidence on this cluster, with the reason. */
export const unavailable = (reason: string, why: UnavailableWhy = 'failed'): Unavailable => ({
  kind: 'unavailable',
  reason,
  why,
});

/** `unavailable` for a failed call: `denied` when RBAC refused us, `failed` otherwise. */
export const unavailableAfter = (what: string, error: unknown): Unavailable =>
  unavailable(
    `${what}: ${describeFailure(error)}`,
    error instanceof ClusterError && error.kind === 'forbidden' ? 'denied' : 'failed',
  );

/** Why a call failed, for an `unavailable` reason: the ClusterError's kind and HTTP status first. */
export function describeFailure(error: unknown): string {
  if (error instanceof ClusterError)
    return `${error.kind}${error.httpStatus ? ` (${error.httpStatus})` : ''}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
