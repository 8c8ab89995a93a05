/**
 * The run's namespace as a step of its own: prepared once, before the first check that needs it
 * runs (whether that check needs the web workload or only a namespace), and deleted at the end
 * of the run whenever its creation was attempted.
 */
import { untilAborted } from '../../abortable.js';
import { policyOutcome } from '../../checks/policy.js';
import type { CheckDefinition, CheckOutcome } from '../../checks/types.js';
import type { Clock } from '../../kernel/clock.js';
import type { AuditEvent, CleanupOutcome } from '../../kernel/results.js';
import { deleteRunNamespace } from '../../workload/cleanup.js';
import { HEARTBEAT_ANNOTATION } from '../../workload/names.js';
import {
  type CreateRunNamespaceInput,
  createRunNamespace,
  prepareSharedNamespace,
  type RunNamespace,
} from '../../workload/namespace.js';
import type { SHARED_CLEANUP } from '../../workload/rbac.js';
import { deleteRunObjects } from '../../workload/shared-cleanup.js';
import { sweepExpiredNamespaces } from '../../workload/sweep.js';

/**
 * What creating the namespace takes, plus what the sweep, cleanup and events take. `signal` is
 * the run's: creation stops on cancel or the run's deadline; cleanup does not.
 */
export interface RunNamespaceStepInput extends CreateRunNamespaceInput {
  clock: Clock;
  cleanupTimeoutMs: number;
  /** How often the live run renews the namespace's heartbeat annotation. */
  heartbeatMs: number;
  /** How long a heartbeat may be silent before the sweep removes a namespace. */
  heartbeatLapseMs: number;
  /** In an operator's namespace (workload.sharedNamespace): the kinds the plan creates, for cleanup. */
  sharedCleanup: typeof SHARED_CLEANUP;
  event(level: AuditEvent['level'], message: string): void;
}

/** Whether the engine must prepare the run's namespace before the check runs. */
export const needsRunNamespace = (def: CheckDefinition): boolean => def.needsWorkload || def.needsNamespace === true;

/**
 * Prepares the run's namespace once (sweep, then create) and deletes it at the end of the run.
 * In an operator's namespace (`options.namespace`, least-privilege mode) it neither sweeps,
 * creates, renews a heartbeat on nor deletes the namespace: it reads it, and cleanup deletes only
 * the run's own objects.
 */
export class RunNamespaceStep {
  private preparing: Promise<RunNamespace> | undefined;
  private sweeping: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly input: RunNamespaceStepInput) {}

  get name(): string {
    return this.input.workload.namespace;
  }

  /**
   * Sweeps expired kubeproof namespaces, then creates this run's: once per run, whoever asks
   * first; later callers share that attempt. Resolves with what the API server answered;
   * rejects with "could not tell" errors (RBAC, unreachable, the name held by another run), or
   * as soon as `signal` (the asking check's) aborts.
   */
  prepare(signal: AbortSignal): Promise<RunNamespace> {
    this.preparing ??= this.sweepThenCreate();
    return untilAborted(this.preparing, signal);
  }

  /**
   * Starts the sweep of expired namespaces now, once per run (prepare waits for it): every audit
   * of a cluster sweeps (the suite calls this at its start), whether it needs a namespace or not;
   * it only reads and removes other runs' leftovers, so it may overlap with the permission review.
   */
  sweepEarly(): void {
    // The sweep lists namespaces cluster-wide: not this mode's business, nor in its grants.
    if (this.shared) return;
    this.sweeping ??= this.sweep();
  }

  private get shared(): boolean {
    return this.input.workload.sharedNamespace;
  }

  /** Deletes the namespace if its creation was attempted (ownership-checked); says what happened. */
  async cleanup(): Promise<CleanupOutcome> {
    // A sweep still in flight reports through the run's events: let it end first.
    await this.sweeping;
    this.stopHeartbeat();
    if (!this.preparing) return { deleted: true, detail: 'no namespace was created' };
    // A create still in flight could land after our delete: let it settle (the run's signal bounds it).
    const prepared = await this.preparing.catch(() => undefined);
    const { cluster, runId, cleanupTimeoutMs, workload, options } = this.input;
    const outcome = this.shared
      ? await deleteRunObjects({
          cluster,
          workload,
          kinds: this.input.sharedCleanup,
          secretNames: options.images.pullSecret ? [workload.pullSecretName] : [],
          timeoutMs: cleanupTimeoutMs,
        })
      : await deleteRunNamespace(cluster, this.name, runId, cleanupTimeoutMs, prepared?.uid);
    const done = this.shared
      ? `objects of this run deleted from namespace ${outcome.namespace}`
      : `namespace ${outcome.namespace} deleted`;
    this.input.event(
      outcome.deleted ? 'info' : 'warn',
      outcome.deleted ? done : `cleanup incomplete: ${outcome.detail}`,
    );
    return outcome;
  }

  private async sweepThenCreate(): Promise<RunNamespace> {
    if (this.shared) {
      const prepared = await prepareSharedNamespace(this.input);
      this.input.event('info', `working in the existing namespace ${prepared.namespace} (options.namespace)`);
      return prepared;
    }
    this.sweepEarly();
    await this.sweeping;
    const prepared = await createRunNamespace(this.input);
    if (prepared.ready) {
      this.input.event('info', `namespace ${prepared.namespace} created`);
      this.startHeartbeat();
    }
    return prepared;
  }

  /**
   * Renews the heartbeat annotation while the run lives (a lease): when the process dies, the
   * renewals stop and the next audit's sweep removes the namespace once the lapse has passed.
   */
  private startHeartbeat(): void {
    const { cluster, clock, heartbeatMs } = this.input;
    this.heartbeat = setInterval(() => {
      const patch = { metadata: { annotations: { [HEARTBEAT_ANNOTATION]: clock.now().toISOString() } } };
      // Best effort: a missed beat is covered by the lapse, which spans several beats.
      void cluster.patch('namespaces', this.name, patch, undefined, { timeoutMs: heartbeatMs }).catch(() => undefined);
    }, heartbeatMs);
    this.heartbeat.unref?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Best effort: a failed sweep never stops the audit, it is reported as a warning. */
  private async sweep(): Promise<void> {
    const { event } = this.input;
    try {
      const { cluster, clock, signal, heartbeatLapseMs } = this.input;
      const swept = await sweepExpiredNamespaces(cluster, clock.now(), signal, heartbeatLapseMs);
      if (swept.deleted.length) event('info', `removed expired kubeproof namespaces: ${swept.deleted.join(', ')}`);
      if (swept.failed.length) event('warn', `could not remove expired namespaces: ${swept.failed.join(', ')}`);
    } catch (err) {
      event('warn', `sweep of expired namespaces skipped: ${(err as Error).message}`);
    }
  }
}

const REFUSAL_HINT = 'See the refusal messages: a failing controller or admission plugin refused the object.';

/**
 * The verdict a check gets without running when the API server refused what it needs of the
 * namespace step, or undefined when it may run. An admission policy denying the namespace (or,
 * for the workload, its pull secret) is `error` with cause `policy`, naming the policy. Any other
 * refusal: the web workload cannot exist without its namespace or pull secret, a cluster
 * observation (`failed`, as when the Deployment itself is refused); a check needing only the
 * namespace (secrets.encryption) is not about namespaces: it could not tell (`error`). A refused
 * pull secret does not concern it.
 */
export function verdictWithoutNamespace(def: CheckDefinition, ns: RunNamespace): CheckOutcome | undefined {
  const evidence = { namespace: ns.namespace, created: ns.created, refusals: ns.refusals };
  const denied = ns.denied.find((d) => def.needsWorkload || d.object.startsWith('namespaces/'));
  if (denied) return policyOutcome(denied.denial, denied.object, evidence);
  if (def.needsWorkload && ns.refusals.length > 0) {
    return {
      status: 'failed',
      summary: `the API server refused the workload: ${ns.refusals.join('; ')}`,
      evidence,
      hint: REFUSAL_HINT,
    };
  }
  if (ns.ready) return undefined;
  return {
    status: 'error',
    cause: 'unexpected',
    summary: `not run: the API server refused the run namespace: ${ns.refusals.join('; ')}`,
    evidence,
    hint: `${REFUSAL_HINT} This check only needs a namespace to work in, so it could not tell.`,
  };
}
