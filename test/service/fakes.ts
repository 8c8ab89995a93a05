import type { SuiteExecutor, SuiteInput } from '../../src/engine/types.js';
import type { Catalog, CatalogEntry } from '../../src/kernel/catalog.js';
import type { CheckResult, CleanupOutcome } from '../../src/kernel/results.js';
import type { CheckCause, CheckStatus, SkipReason } from '../../src/kernel/vocabulary.js';

const entry = (
  id: string,
  group: CatalogEntry['group'],
  component: string,
  prerequisites: string[] = [],
): CatalogEntry => ({
  id,
  title: `${id} works`,
  group,
  component,
  references: [{ label: `article ${id.length}`, title: `Chapter for ${component}` }],
  prerequisites,
  disruptive: false,
  rbac: [
    { verb: 'get', group: '', resource: 'pods', scope: 'run' },
    ...(group === 'encryption'
      ? [{ verb: 'create', group: '', resource: 'pods', subresource: 'exec', scope: 'kube-system' as const }]
      : []),
  ],
});

/** A small catalog shaped like the real one. */
export const fakeCatalogEntries: CatalogEntry[] = [
  entry('preflight.api', 'preflight', 'kube-apiserver'),
  entry('workload.rollout', 'smoke', 'Deployment controller', ['preflight.api']),
  entry('service.loadbalancing', 'smoke', 'kube-proxy', ['workload.rollout']),
  entry('dns.service', 'smoke', 'CoreDNS', ['workload.rollout']),
  entry('secrets.encryption', 'encryption', 'EncryptionConfiguration + etcd', ['preflight.api']),
];

export const fakeCatalog: Catalog = { list: () => fakeCatalogEntries };

export interface ScriptedCheck {
  id: string;
  status: CheckStatus;
  summary?: string;
  evidence?: Record<string, unknown>;
  blockedBy?: string[];
  warnings?: string[];
  /** For `error`: default `unexpected`. */
  cause?: CheckCause;
  /** For `skipped`: default `blocked` when blockedBy is given, else `not-observable`. */
  reason?: SkipReason;
}

/** Resolves once `signal` aborts (or immediately if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * A real SuiteExecutor double: reports the scripted results through the callbacks, in order.
 * With `holdAfter`, it stops after that many results until the run is aborted (cancel or
 * deadline), then "cleans up" like the real suite and returns.
 */
export class ScriptedExecutor implements SuiteExecutor {
  readonly inputs: SuiteInput[] = [];
  readonly cleanedUp: string[] = [];
  /** Called when a run reaches its hold point, so a test can act then. */
  onHold: ((input: SuiteInput) => void) | undefined;

  constructor(
    private readonly script: ScriptedCheck[],
    private readonly options: {
      holdAfter?: number;
      throwError?: string;
      serverVersion?: string;
      /** What cleanup reports (default: the namespace was deleted). */
      cleanup?: Omit<CleanupOutcome, 'namespace'>;
    } = {},
  ) {}

  async execute(input: SuiteInput): Promise<{ cleanup: CleanupOutcome }> {
    this.inputs.push(input);
    const namespace = `kubeproof-${input.runId.slice(0, 8)}`;
    input.onClusterIdentity({
      server: input.credentials.server,
      clusterName: input.credentials.clusterName,
      contextName: input.credentials.contextName,
      serverVersion: this.options.serverVersion ?? 'v1.32.0',
    });
    input.onEvent({ at: new Date(), level: 'info', message: `Created namespace ${namespace}` });
    try {
      for (const [index, check] of this.script.entries()) {
        if (this.options.holdAfter === index) {
          this.onHold?.(input);
          await aborted(input.signal);
          break;
        }
        if (this.options.throwError && index === this.script.length - 1) throw new Error(this.options.throwError);
        const catalogEntry = fakeCatalogEntries.find((e) => e.id === check.id);
        const startedAt = new Date();
        input.onCheckStarted(check.id, startedAt);
        const result: CheckResult = {
          id: check.id,
          title: catalogEntry?.title ?? check.id,
          group: catalogEntry?.group ?? 'smoke',
          component: catalogEntry?.component ?? 'unknown',
          references: catalogEntry?.references ?? [],
          status: check.status,
          startedAt,
          finishedAt: new Date(startedAt.getTime() + 5),
          durationMs: 5,
          summary: check.summary ?? `${check.id} ${check.status}`,
          evidence: check.evidence ?? { observed: check.id },
          warnings: check.warnings ?? [],
          ...(check.status === 'passed' ? {} : { hint: `fix ${check.id}` }),
          ...(check.status === 'error' ? { cause: check.cause ?? 'unexpected' } : {}),
          ...(check.status === 'skipped'
            ? { reason: check.reason ?? (check.blockedBy ? 'blocked' : 'not-observable') }
            : {}),
          ...(check.blockedBy ? { blockedBy: check.blockedBy } : {}),
        };
        input.onCheckFinished(result);
      }
    } finally {
      this.cleanedUp.push(input.runId);
    }
    return { cleanup: { namespace, ...(this.options.cleanup ?? { deleted: true }) } };
  }
}

export const allPassing: ScriptedCheck[] = fakeCatalogEntries.map((e) => ({ id: e.id, status: 'passed' }));
