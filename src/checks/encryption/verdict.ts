/**
 * Turns what a strategy found into the check's outcome, following the rules of README's "Encryption at rest": raw
 * bytes pass only with a `k8s:enc:` prefix and no marker; indirect evidence is labelled as
 * such; no evidence at all is `error`, never `passed`.
 */
import type { CheckOutcome } from '../types.js';
import { PROVIDER_ADVICE, REWRITE_SECRETS_HINT } from './advice.js';
import type { SampleSummary } from './sample.js';
import type { StoredProvider } from './stored-value.js';
import { readStoredValue } from './stored-value.js';
import type { IndirectEvidence, RawEvidence, StrategyName, UnavailableWhy } from './strategy.js';

export interface Attempt {
  strategy: StrategyName;
  outcome: 'used' | 'unavailable';
  reason?: string;
  why?: UnavailableWhy;
}

export interface VerdictInput {
  strategy: StrategyName;
  attempts: Attempt[];
  secret: { namespace: string; name: string };
  etcdKey: string;
}

const ENABLE_EVIDENCE_HINT =
  'Give kubeproof a way to see how Secrets are stored: etcd endpoints and a client certificate in options.encryption.etcd (etcd as a systemd service), ' +
  'or permission to exec into the etcd pod in kube-system (kubeadm), or permission to GET /metrics (nonResourceURL) or list pods in kube-system.';

const CONFIRM_DIRECTLY =
  'Confirm with raw etcd access (options.encryption.etcd, or exec into the etcd pod) for direct evidence.';

function adviceFor(provider: StoredProvider | undefined) {
  return provider ? { provider, ...PROVIDER_ADVICE[provider] } : undefined;
}

function providerLabel(provider: StoredProvider | undefined, keyName: string | undefined): string {
  if (!provider) return 'an unnamed provider';
  return keyName ? `${provider} (key ${keyName})` : provider;
}

function sampleNote(sample: SampleSummary | undefined): string {
  if (!sample || sample.unencrypted === 0) return '';
  return `; ${sample.unencrypted} of ${sample.sampled} sampled existing Secrets are still stored unencrypted`;
}

function hintWith(...parts: Array<string | undefined | false>): string | undefined {
  const text = parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');
  return text.length > 0 ? text : undefined;
}

/** The verdict from the stored bytes themselves (etcd-direct, etcd-exec): direct evidence. */
export function rawVerdict(input: VerdictInput, raw: RawEvidence, markers: readonly Buffer[]): CheckOutcome {
  const reading = readStoredValue(raw.value, markers);
  const advice = adviceFor(reading.provider);
  const evidence = {
    strategy: input.strategy,
    evidenceKind: 'direct',
    source: raw.source,
    secret: input.secret,
    etcdKey: input.etcdKey,
    storedPrefix: reading.prefix,
    format: reading.format,
    provider: reading.provider ?? null,
    keyName: reading.keyName ?? null,
    markerFound: reading.markerFound,
    advice: advice ?? null,
    attempts: input.attempts,
    ...(raw.sample ? { existingSecrets: raw.sample } : {}),
  };
  const sampleHint = raw.sample && raw.sample.unencrypted > 0 ? REWRITE_SECRETS_HINT : undefined;
  if (reading.markerFound || reading.format === 'unencrypted') {
    const what =
      reading.format === 'encrypted'
        ? `carries prefix ${reading.prefix} but`
        : `is the unencrypted ${reading.prefix} form and`;
    return {
      status: 'failed',
      summary: `Secrets are not encrypted at rest: the stored value ${what} ${reading.markerFound ? 'contains the marker' : 'has no encryption prefix'} (read from ${raw.source})${sampleNote(raw.sample)}`,
      evidence,
      hint: hintWith(PROVIDER_ADVICE.identity.advice, REWRITE_SECRETS_HINT),
    };
  }
  if (reading.format === 'unrecognized') {
    return {
      status: 'error',
      cause: 'unexpected',
      summary: `could not tell: the stored value starts with ${reading.prefix}, which is no known kube-apiserver storage format (read from ${raw.source})`,
      evidence,
      hint: 'Compare the value with `etcdctl get <key> | hexdump -C` on the control plane; kubeproof knows the aescbc, aesgcm, secretbox, kms v1/v2 and identity formats.',
    };
  }
  const weak = advice && advice.strength !== 'strongest' && advice.strength !== 'strong';
  const warnings = [
    ...(weak && advice ? [`weak provider ${advice.provider}: ${advice.advice}`] : []),
    ...(raw.sample && raw.sample.unencrypted > 0
      ? [
          `${raw.sample.unencrypted} of ${raw.sample.sampled} sampled existing Secrets are still stored unencrypted. ${REWRITE_SECRETS_HINT}`,
        ]
      : []),
  ];
  return {
    status: 'passed',
    summary: `Secrets are encrypted at rest with ${providerLabel(reading.provider, reading.keyName)}: the stored value starts with ${reading.prefix} and the marker does not appear (read from ${raw.source})${sampleNote(raw.sample)}`,
    evidence,
    warnings,
    ...(weak || sampleHint ? { hint: hintWith(weak && advice?.advice, sampleHint) } : {}),
  };
}

/** The verdict from what kube-apiserver says about itself (metrics, flags): indirect evidence. */
export function indirectVerdict(input: VerdictInput, found: IndirectEvidence): CheckOutcome {
  const advice = adviceFor(found.encrypted ? found.provider : 'identity');
  const label =
    input.strategy === 'apiserver-metrics'
      ? 'indirect evidence: kube-apiserver metrics'
      : 'indirect evidence: kube-apiserver flags';
  const evidence = {
    strategy: input.strategy,
    evidenceKind: 'indirect',
    indirect: true,
    secret: input.secret,
    observation: found.observation,
    provider: found.provider ?? null,
    keyName: found.keyName ?? null,
    advice: advice ?? null,
    attempts: input.attempts,
    ...found.details,
  };
  if (!found.encrypted) {
    return {
      status: 'failed',
      summary: `Secrets are not encrypted at rest (${label}): ${found.observation}`,
      evidence,
      hint: hintWith(PROVIDER_ADVICE.identity.advice, REWRITE_SECRETS_HINT),
    };
  }
  const weak = advice && advice.strength !== 'strongest' && advice.strength !== 'strong';
  const warnings = [
    `${label}: the stored bytes were not seen. ${CONFIRM_DIRECTLY}`,
    ...(weak && advice ? [`weak provider ${advice.provider}: ${advice.advice}`] : []),
  ];
  return {
    status: 'passed',
    summary: `Secrets appear encrypted at rest with ${providerLabel(found.provider, found.keyName)} (${label}, the stored bytes were not seen): ${found.observation}`,
    evidence,
    warnings,
    hint: hintWith(weak && advice?.advice, CONFIRM_DIRECTLY),
  };
}

/** The `error` verdict when every strategy was unavailable, with why each one was. */
export function noEvidenceVerdict(input: Omit<VerdictInput, 'strategy'>): CheckOutcome {
  return {
    status: 'error',
    // Refused to us (or configured wrongly): a grant or etcd access would let kubeproof see.
    cause: input.attempts.some((a) => a.why === 'denied') ? 'permission' : 'unexpected',
    summary: `could not tell whether Secrets are encrypted at rest: ${input.attempts.map((a) => `${a.strategy} unavailable: ${a.reason}`).join('; ')}`,
    evidence: { evidenceKind: 'none', secret: input.secret, etcdKey: input.etcdKey, attempts: input.attempts },
    hint: ENABLE_EVIDENCE_HINT,
  };
}
