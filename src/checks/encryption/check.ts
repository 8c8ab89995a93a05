/**
 * `secrets.encryption`: writes a Secret with a random marker into the run's namespace and
 * proves how kube-apiserver stored it, by the strongest evidence available. The marker,
 * the Secret's value and etcd's key material never leave this check: the outcome is
 * scrubbed of them before it is returned.
 */

import type { RbacNeed } from '../../kernel/catalog.js';
import { maskable, redactJson, redactText } from '../../redaction/redact.js';
import { sharedNamespaceOf } from '../../workload/names.js';
import { RUN_NAMESPACE_RBAC } from '../../workload/rbac.js';
import { PREFLIGHT_ID } from '../preflight/api.js';
import { rbacNeed } from '../rbac-need.js';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.js';
import { looksManaged, managedProvider, notObservableVerdict } from './managed.js';
import { createMarker, etcdKeyOf, markerSecret } from './marker.js';
import { apiserverFlags } from './strategies/apiserver-flags.js';
import { apiserverMetrics } from './strategies/apiserver-metrics.js';
import { etcdDirect } from './strategies/etcd-direct.js';
import { etcdExec } from './strategies/etcd-exec.js';
import { type EvidenceStrategy, STRATEGY_ORDER, type StrategyName } from './strategy.js';
import { type Attempt, indirectVerdict, noEvidenceVerdict, rawVerdict } from './verdict.js';

const CALL_TIMEOUT_MS = 15_000;

/** Fresh per run: etcd-exec keeps its pod lookup, the metrics strategy its first scrape, between before() and gather(). */
const STRATEGIES: Record<StrategyName, () => EvidenceStrategy> = {
  'etcd-direct': () => etcdDirect,
  'etcd-exec': etcdExec,
  'apiserver-metrics': apiserverMetrics,
  'apiserver-flags': () => apiserverFlags,
};

/** Every permission of this check is in the core API group. */
const need = (verb: string, resource: string, scope: RbacNeed['scope'], subresource?: string): RbacNeed =>
  rbacNeed(verb, '', resource, scope, subresource);
const optional = (n: RbacNeed, purpose: string): RbacNeed => ({ ...n, optional: true, purpose });

/**
 * Required: the run's namespace (the engine creates and deletes it for this check) and writing
 * the marker Secret; the namespace's deletion removes the marker, so no `delete secrets` (in an
 * operator's namespace, namespaceModeNeeds adds the delete the check then does itself).
 * Optional: what lets the stronger strategies work; without them the check falls back and says
 * why, and preflight only warns.
 */
export const ENCRYPTION_RBAC: readonly RbacNeed[] = [
  ...RUN_NAMESPACE_RBAC,
  need('create', 'secrets', 'run'),
  optional(
    need('list', 'pods', 'kube-system'),
    'enables the etcd-exec and apiserver-flags strategies of secrets.encryption (finding the etcd and kube-apiserver static pods)',
  ),
  // A WebSocket exec is authorized as `get`, and from v1.35 also as `create` (see smoke/shared/rbac.ts).
  ...(['get', 'create'] as const).map((verb) =>
    optional(
      need(verb, 'pods', 'kube-system', 'exec'),
      'enables the etcd-exec strategy of secrets.encryption (etcdctl in the etcd static pod)',
    ),
  ),
  optional(
    { verb: 'get', group: '', resource: '', nonResourceURL: '/metrics', scope: 'cluster' },
    "enables the apiserver-metrics strategy of secrets.encryption (kube-apiserver's transformation counters)",
  ),
];

function scrubbed(outcome: CheckOutcome, secrets: readonly string[]): CheckOutcome {
  const text = (s: string) => redactText(s, secrets);
  return {
    ...outcome,
    summary: text(outcome.summary),
    evidence: redactJson(outcome.evidence, secrets),
    ...(outcome.hint === undefined ? {} : { hint: text(outcome.hint) }),
    ...(outcome.warnings === undefined ? {} : { warnings: outcome.warnings.map(text) }),
  };
}

/** The server's gitVersion as preflight.api read it (`v1.29.3-eks-adc7111`), when it ran. */
function serverVersionOf(ctx: CheckContext): string | undefined {
  const version = ctx.results.get(PREFLIGHT_ID)?.evidence.serverVersion;
  return typeof version === 'string' ? version : undefined;
}

async function runCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const namespace = ctx.namespace;
  if (!namespace) throw new Error('secrets.encryption needs the run namespace, but the engine gave it none');
  const { strategy: chosen, etcd } = ctx.options.encryption;
  const strategies = (chosen === 'auto' ? STRATEGY_ORDER : [chosen]).map((name) => STRATEGIES[name]());
  const marker = createMarker();
  const etcdKey = etcdKeyOf(namespace, marker.secretName);
  const base = { cluster: ctx.cluster, signal: ctx.signal, etcd, namespace };
  const secrets = maskable([
    marker.value,
    ...marker.forms.map((f) => f.toString('utf8')),
    etcd?.keyData,
    etcd?.certData,
  ]);

  // Strongest first: once one expects to answer, the weaker ones skip what only a fallback needs.
  let stronger = false;
  for (const strategy of strategies) stronger = (await strategy.before?.(base, stronger)) === true || stronger;
  const written: string[] = [];
  const writeMarker = async (name: string) => {
    written.push(name);
    await ctx.cluster.create('secrets', markerSecret({ ...marker, secretName: name }, namespace), namespace, {
      signal: ctx.signal,
      timeoutMs: CALL_TIMEOUT_MS,
    });
    return name;
  };
  await writeMarker(marker.secretName);
  const input = {
    ...base,
    secretName: marker.secretName,
    etcdKey,
    writeMarkerAgain: () => writeMarker(`${marker.secretName}-${written.length + 1}`),
  };
  const secret = { namespace, name: marker.secretName };
  const attempts: Attempt[] = [];
  try {
    for (const strategy of strategies) {
      const found = await strategy.gather(input);
      if (found.kind === 'unavailable') {
        attempts.push({ strategy: strategy.name, outcome: 'unavailable', reason: found.reason, why: found.why });
        ctx.log.info('secrets.encryption strategy unavailable', {
          strategy: strategy.name,
          reason: redactText(found.reason, secrets),
        });
        continue;
      }
      attempts.push({ strategy: strategy.name, outcome: 'used' });
      const verdictInput = { strategy: strategy.name, attempts, secret, etcdKey };
      const outcome =
        found.kind === 'raw' ? rawVerdict(verdictInput, found, marker.forms) : indirectVerdict(verdictInput, found);
      return scrubbed(outcome, secrets);
    }
    const provider = managedProvider(ctx.cluster.server, serverVersionOf(ctx));
    if (chosen === 'auto' && looksManaged(attempts, provider)) {
      const required = ctx.options.encryption.required;
      return scrubbed(notObservableVerdict({ attempts, provider, secret, required }), secrets);
    }
    return scrubbed(noEvidenceVerdict({ attempts, secret, etcdKey }), secrets);
  } finally {
    await removeMarkers(ctx, written, namespace);
  }
}

/**
 * In the run's own namespace the marker is left in place: its value is random (no credential,
 * nothing of the operator's), and the engine deletes that namespace, and the marker with it, a
 * few seconds later on every path (passed, failed, error, cancel, deadline; the sweep after a
 * crash), which saves a request per audit. An operator's namespace (`options.namespace`) is
 * never deleted, so there the check deletes its marker itself.
 */
async function removeMarkers(ctx: CheckContext, names: readonly string[], namespace: string): Promise<void> {
  if (sharedNamespaceOf(ctx.options) === undefined) return;
  for (const name of names) {
    await ctx.cluster.delete('secrets', name, namespace, { timeoutMs: CALL_TIMEOUT_MS }).catch(() => {});
  }
}

export const secretsEncryption: CheckDefinition = {
  id: 'secrets.encryption',
  title: 'Secrets are encrypted at rest in etcd (provider and key named)',
  group: 'encryption',
  component: 'encryption-at-rest',
  // No pod is involved: the check runs whatever the scheduler, CNI or web Deployment do. The
  // engine creates the run's namespace for it (the marker Secret lives and dies with it).
  prerequisites: ['preflight.api'],
  disruptive: false,
  needsWorkload: false,
  needsNamespace: true,
  rbac: ENCRYPTION_RBAC,
  deadlineMs: 60_000,
  run: runCheck,
};
