import { randomUUID } from 'node:crypto';
import type { AuditOptions } from '../../checks/options.js';
import type { AuditRunRow } from '../../db/schema/index.js';
import type { AuditStore } from '../../db/store.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { CheckResult, CleanupOutcome } from '../../kernel/results.js';
import { messageOf } from '../../kernel/text.js';
import type { AuditEventLevel } from '../../kernel/vocabulary.js';
import type { SanitizedKubeconfig } from '../../kube/kubeconfig/types.js';
import { withFields } from '../../logger.js';
import { redactText } from '../../redaction/redact.js';
import { truncateBytes } from '../../untrusted-text.js';
import { runSecrets } from '../run-secrets.js';
import type { SuiteExecutor } from '../types.js';
import { Background } from './background.js';
import { boundResult, RESULT_LIMITS } from './bound-result.js';
import { publicOptions } from './public-options.js';
import { redactResult } from './redact-result.js';
import { type EndReason, finalStatus, type StatusCounts } from './run-status.js';

export interface AuditRequest {
  credentials: SanitizedKubeconfig;
  selection: string[];
  options: AuditOptions;
  labels: Record<string, string>;
  /** From the intake (e.g. insecure-skip-tls-verify). */
  warnings: string[];
  /** The tenant submitting it; undefined when the API is open. */
  owner?: string;
  /** Where to POST the summary when the run ends (checked by the outbound policy at intake). */
  callback?: { url: string; secretName?: string };
}

export interface RunnerDeps {
  store: AuditStore;
  executor: SuiteExecutor;
  clock: Clock;
  logger: Logger;
  maxConcurrent: number;
  deadlineSeconds: number;
  /** Audits waiting at most (KUBEPROOF_MAX_QUEUED_AUDITS); past it submit() throws QueueFullError. Default 100. */
  maxQueued?: number;
  /** Audits one tenant may run at once (its concurrency share); default maxConcurrent. */
  tenantMaxConcurrent?: number;
  /** Audits one tenant may have waiting (its queue share); default maxQueued. */
  tenantMaxQueued?: number;
  /**
   * Audits of one API server (the kubeconfig's server URL) at once
   * (KUBEPROOF_MAX_CONCURRENT_AUDITS_PER_CLUSTER); default maxConcurrent. Past it they wait in
   * the queue while audits of other clusters start: one busy cluster cannot take every slot,
   * nor be flooded by its own pipeline.
   */
  clusterMaxConcurrent?: number;
  newId?: () => string;
  /** Told about every result, final status and queue change (metrics, webhooks); never told a credential. */
  observers?: readonly RunObserver[];
}

/**
 * Watches the runner from outside (metrics, webhook delivery). Each call is made after the store
 * has the data; an observer that throws is logged and ignored, it never changes a run.
 */
export interface RunObserver {
  /** A check result as stored (already redacted and bounded). */
  checkFinished?(runId: string, result: CheckResult): void;
  /** The run as stored with its final status. */
  runFinished?(run: AuditRunRow): void;
  /** How many audits wait and run, after every change. */
  queueChanged?(depth: { queued: number; running: number }): void;
}

/** The queue (or the tenant's share of it) is full: the caller should retry later (429). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  constructor(
    message: string,
    /** A reasonable wait before retrying, in seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_QUEUED = 100;

export type CancelOutcome = 'cancelling' | 'cancelled' | 'not-found' | 'already-finished';

/** A run waiting or running: the only place credentials live, and only until it ends. */
interface LiveRun {
  id: string;
  request: AuditRequest;
  controller: AbortController;
  secrets: string[];
  started: boolean;
}

type AbortReason = 'cancel' | 'deadline' | 'shutdown';

const NO_RESULTS: StatusCounts = { passed: 0, failed: 0, skipped: 0, error: 0 };

/** How loud a check's result is in the event stream. */
const EVENT_LEVEL: Record<CheckResult['status'], AuditEventLevel> = {
  passed: 'info',
  skipped: 'info',
  failed: 'error',
  error: 'warn',
};

/**
 * Runs audits in the background: a FIFO queue, at most `maxConcurrent` at a time, a deadline
 * per audit, cancellation through the audit's AbortSignal. Every progress step is written to
 * the store as it happens.
 */
export class AuditRunner {
  readonly #deps: RunnerDeps;
  readonly #queue: LiveRun[] = [];
  readonly #live = new Map<string, LiveRun>();
  readonly #background = new Background();
  #running = 0;
  readonly #runningByOwner = new Map<string, number>();
  readonly #runningByCluster = new Map<string, number>();
  /** Callers of whenFinished(), per run id, told once the run has its final status. */
  readonly #finishWaiters = new Map<string, Array<() => void>>();
  #stopped = false;

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  /** Calls every observer; an observer's failure is logged, never the run's. */
  #notify(event: string, call: (observer: RunObserver) => void, runId?: string): void {
    for (const observer of this.#deps.observers ?? []) {
      try {
        call(observer);
      } catch (err) {
        this.#deps.logger.warn('run observer failed', { event, error: messageOf(err), ...(runId ? { runId } : {}) });
      }
    }
  }

  #queueChanged(): void {
    const depth = { queued: this.#queue.length, running: this.#running };
    this.#notify('queueChanged', (o) => o.queueChanged?.(depth));
  }

  /** The run has its final status in the store: observers are told. */
  #finished(id: string): void {
    const run = this.#deps.store.getRun(id);
    if (run) this.#notify('runFinished', (o) => o.runFinished?.(run), id);
  }

  /** Throws QueueFullError when the queue or the tenant's share of it has no room. */
  #admit(owner: string): void {
    const maxQueued = this.#deps.maxQueued ?? DEFAULT_MAX_QUEUED;
    const tenantQueued = this.#deps.tenantMaxQueued ?? maxQueued;
    // A slot frees when a running audit ends: about one deadline at worst, usually far less.
    const retry = Math.min(60, Math.max(5, Math.ceil(this.#deps.deadlineSeconds / 10)));
    // Only what waits counts: a submit that can start at once never queues.
    const startsNow =
      this.#running < this.#deps.maxConcurrent &&
      this.#runningOf(owner) < this.#tenantMaxConcurrent() &&
      this.#queue.length === 0;
    // (A run held back only by its cluster's cap still waits within the queue's bounds.)
    if (startsNow) return;
    if (this.#queue.length >= maxQueued) {
      throw new QueueFullError(
        `${this.#queue.length} audits are already waiting (KUBEPROOF_MAX_QUEUED_AUDITS=${maxQueued}); retry later.`,
        retry,
      );
    }
    const mine = this.#queue.filter((l) => (l.request.owner ?? '') === owner).length;
    if (mine >= tenantQueued) {
      throw new QueueFullError(
        `this tenant already has ${mine} audits waiting, its share of the queue (KUBEPROOF_TENANT_MAX_QUEUED_AUDITS=${tenantQueued}); retry later.`,
        retry,
      );
    }
  }

  #tenantMaxConcurrent(): number {
    return this.#deps.tenantMaxConcurrent ?? this.#deps.maxConcurrent;
  }

  #runningOf(owner: string): number {
    return this.#runningByOwner.get(owner) ?? 0;
  }

  #clusterHasRoom(server: string): boolean {
    return (this.#runningByCluster.get(server) ?? 0) < (this.#deps.clusterMaxConcurrent ?? this.#deps.maxConcurrent);
  }

  /** Records the run as `queued` and schedules it; throws QueueFullError past the queue's bounds. */
  submit(request: AuditRequest): AuditRunRow {
    if (this.#stopped) throw new Error('runner is shut down');
    this.#admit(request.owner ?? '');
    const { store, clock } = this.#deps;
    const id = (this.#deps.newId ?? randomUUID)();
    const run = store.createRun({
      id,
      status: 'queued',
      createdAt: clock.now(),
      server: request.credentials.server,
      clusterName: request.credentials.clusterName,
      contextName: request.credentials.contextName,
      selection: request.selection,
      options: publicOptions(request.options),
      labels: request.labels,
      warnings: request.warnings,
      owner: request.owner ?? null,
      ...(request.callback
        ? {
            callbackUrl: request.callback.url,
            callbackSecret: request.callback.secretName ?? null,
            callbackState: 'pending' as const,
          }
        : {}),
    });
    const live: LiveRun = {
      id,
      request,
      controller: new AbortController(),
      secrets: runSecrets(request.credentials, request.options),
      started: false,
    };
    this.#live.set(id, live);
    this.#queue.push(live);
    store.recordEvent(id, { at: clock.now(), level: 'info', message: 'Audit queued.' });
    for (const warning of request.warnings) store.recordEvent(id, { at: clock.now(), level: 'warn', message: warning });
    this.#pump();
    this.#queueChanged();
    return run;
  }

  /** Aborts a running audit (its cleanup still runs) or drops a queued one. */
  cancel(id: string): CancelOutcome {
    const live = this.#live.get(id);
    if (!live) return this.#deps.store.getRun(id) ? 'already-finished' : 'not-found';
    if (!live.started) {
      this.#queue.splice(this.#queue.indexOf(live), 1);
      const { store, clock } = this.#deps;
      const { status, errorDetail } = finalStatus(NO_RESULTS, { kind: 'cancelled' });
      store.recordEvent(id, { at: clock.now(), level: 'warn', message: 'Audit cancelled before it started.' });
      store.finishRun(id, { status, finishedAt: clock.now(), errorDetail });
      this.#settle(id);
      this.#finished(id);
      this.#queueChanged();
      return 'cancelled';
    }
    this.#abort(live, 'cancel');
    return 'cancelling';
  }

  /**
   * Resolves once the run has its final status in the store: at once for a run that is not
   * queued or running (finished, or unknown). `Prefer: wait` on POST /v1/audits waits on it.
   */
  whenFinished(id: string): Promise<void> {
    if (!this.#live.has(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#finishWaiters.get(id) ?? [];
      waiters.push(resolve);
      this.#finishWaiters.set(id, waiters);
    });
  }

  /** The run has its final status: it leaves the live set and its waiters are told. */
  #settle(id: string): void {
    this.#live.delete(id);
    for (const resolve of this.#finishWaiters.get(id) ?? []) resolve();
    this.#finishWaiters.delete(id);
  }

  /** Whether the runner accepts work (readiness). */
  isAlive(): boolean {
    return !this.#stopped;
  }

  /** True when no audit is queued or running. */
  idle(): boolean {
    return this.#queue.length === 0 && this.#background.idle();
  }

  /** Resolves when every submitted audit has reached a final status. */
  async whenIdle(): Promise<void> {
    while (!this.idle()) await this.#background.whenIdle();
  }

  /** Stops accepting work, aborts everything in flight (cleanup still runs) and waits for it. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    const { store, clock } = this.#deps;
    for (const live of this.#queue.splice(0)) {
      const { status, errorDetail } = finalStatus(NO_RESULTS, { kind: 'shutdown' });
      store.finishRun(live.id, { status, finishedAt: clock.now(), errorDetail: `${errorDetail} It never started.` });
      this.#settle(live.id);
      this.#finished(live.id);
    }
    this.#queueChanged();
    for (const live of this.#live.values()) this.#abort(live, 'shutdown');
    await this.whenIdle();
  }

  #abort(live: LiveRun, reason: AbortReason): void {
    if (!live.controller.signal.aborted) live.controller.abort(reason);
  }

  /**
   * Starts queued audits, oldest first, skipping those whose tenant already runs its share:
   * one tenant's burst cannot hold every slot while another tenant waits.
   */
  #pump(): void {
    while (this.#running < this.#deps.maxConcurrent) {
      const at = this.#queue.findIndex(
        (l) =>
          this.#runningOf(l.request.owner ?? '') < this.#tenantMaxConcurrent() &&
          this.#clusterHasRoom(l.request.credentials.server),
      );
      if (at < 0) return;
      const [live] = this.#queue.splice(at, 1) as [LiveRun];
      const owner = live.request.owner ?? '';
      const server = live.request.credentials.server;
      live.started = true;
      this.#running++;
      this.#runningByOwner.set(owner, this.#runningOf(owner) + 1);
      this.#runningByCluster.set(server, (this.#runningByCluster.get(server) ?? 0) + 1);
      this.#background.run(async () => {
        try {
          await this.#execute(live);
        } finally {
          this.#running--;
          this.#runningByOwner.set(owner, this.#runningOf(owner) - 1);
          const left = (this.#runningByCluster.get(server) ?? 1) - 1;
          if (left > 0) this.#runningByCluster.set(server, left);
          else this.#runningByCluster.delete(server);
          this.#settle(live.id);
          this.#finished(live.id);
          this.#pump();
          this.#queueChanged();
        }
      });
    }
  }

  async #execute(live: LiveRun): Promise<void> {
    const { store, clock, executor, deadlineSeconds } = this.#deps;
    const { id, request, controller, secrets } = live;
    // Every line about this run carries its id.
    const logger = withFields(this.#deps.logger, { runId: id });
    const redact = (text: string) => redactText(text, secrets);
    const counts: StatusCounts = { ...NO_RESULTS };
    // The run's deadline covers the sum of its checks' budgets: a slow cluster's stretched budget
    // is not cut short by it (KUBEPROOF_AUDIT_DEADLINE_SECONDS is the floor).
    const runSeconds = Math.max(deadlineSeconds, Math.ceil((executor.budgetMs?.(request.selection) ?? 0) / 1000));
    const deadline = setTimeout(() => this.#abort(live, 'deadline'), runSeconds * 1000);
    deadline.unref?.();
    store.markRunning(id, clock.now());
    store.recordEvent(id, {
      at: clock.now(),
      level: 'info',
      message: `Audit started (deadline ${runSeconds} s${runSeconds > deadlineSeconds ? ', the sum of the selected checks’ budgets' : ''}).`,
    });
    logger.info('audit started', { server: request.credentials.server });

    let end: EndReason = { kind: 'completed' };
    let cleanup: CleanupOutcome | undefined;
    /** When the verdict was published before the namespace was gone (onVerdict), else undefined. */
    let verdictAt: Date | undefined;
    const publishVerdict = () => {
      if (verdictAt || controller.signal.aborted) return;
      verdictAt = clock.now();
      const verdict = finalStatus(counts, { kind: 'completed' });
      store.recordEvent(id, {
        at: verdictAt,
        level: 'info',
        message: `Audit finished: ${verdict.status}.`,
      });
      store.finishRun(id, {
        status: verdict.status,
        finishedAt: verdictAt,
        ...(verdict.errorDetail ? { errorDetail: verdict.errorDetail } : {}),
      });
      logger.info('audit finished', { runId: id, status: verdict.status });
      this.#settle(id);
    };
    try {
      const outcome = await executor.execute({
        runId: id,
        credentials: request.credentials,
        selection: request.selection,
        options: request.options,
        signal: controller.signal,
        onClusterIdentity: (identity) => {
          if (identity.serverVersion) store.setServerVersion(id, identity.serverVersion);
        },
        onCheckStarted: (checkId, at) => {
          logger.debug?.('check started', { checkId });
          store.recordEvent(id, { at, level: 'info', message: `Check ${checkId} started.`, checkId });
        },
        onCheckFinished: (result: CheckResult) => {
          counts[result.status]++;
          const stored = boundResult(redactResult(result, secrets));
          store.recordResult(id, stored);
          logger.debug?.('check finished', {
            checkId: stored.id,
            status: stored.status,
            durationMs: stored.durationMs,
          });
          this.#notify('checkFinished', (o) => o.checkFinished?.(id, stored), id);
          store.recordEvent(id, {
            at: result.finishedAt,
            level: EVENT_LEVEL[result.status],
            message: redact(
              `Check ${result.id} ${result.status}${result.cause ? ` (${result.cause})` : result.reason && result.reason !== 'blocked' ? ` (${result.reason})` : ''}: ${result.summary}`,
            ),
            checkId: result.id,
          });
        },
        onEvent: (event) =>
          store.recordEvent(id, { ...event, message: truncateBytes(redact(event.message), RESULT_LIMITS.eventBytes) }),
        onVerdict: publishVerdict,
      });
      cleanup = outcome.cleanup;
    } catch (err) {
      const detail = redact(messageOf(err));
      logger.error('audit executor failed', { error: detail });
      end = { kind: 'crashed', detail: `The audit stopped on an internal error: ${detail}` };
    } finally {
      clearTimeout(deadline);
    }

    if (verdictAt) {
      this.#recordLateCleanup(id, verdictAt, cleanup, redact);
      return;
    }
    const reason = controller.signal.reason as AbortReason | undefined;
    if (reason === 'cancel') end = { kind: 'cancelled' };
    else if (reason === 'deadline') end = { kind: 'deadline', seconds: runSeconds };
    else if (reason === 'shutdown') end = { kind: 'shutdown' };
    const verdict = finalStatus(counts, end);
    if (cleanup && !cleanup.deleted) {
      store.recordEvent(id, {
        at: clock.now(),
        level: 'warn',
        message: redact(`Namespace ${cleanup.namespace ?? '(none)'} was not deleted: ${cleanup.detail ?? 'no detail'}`),
      });
    }
    store.recordEvent(id, { at: clock.now(), level: 'info', message: `Audit finished: ${verdict.status}.` });
    store.finishRun(id, {
      status: verdict.status,
      finishedAt: clock.now(),
      ...(cleanup ? { cleanup: { ...cleanup, detail: cleanup.detail && redact(cleanup.detail) } } : {}),
      ...(verdict.errorDetail ? { errorDetail: verdict.errorDetail } : {}),
    });
    logger.info('audit finished', { status: verdict.status });
  }

  /** The cleanup of a run whose verdict is already published: its outcome, and an event saying when it ended. */
  #recordLateCleanup(
    id: string,
    verdictAt: Date,
    cleanup: CleanupOutcome | undefined,
    redact: (text: string) => string,
  ): void {
    const { store, clock } = this.#deps;
    const at = clock.now();
    const seconds = ((at.getTime() - verdictAt.getTime()) / 1000).toFixed(1);
    if (!cleanup) {
      store.recordEvent(id, { at, level: 'warn', message: 'Cleanup did not report an outcome.' });
      return;
    }
    store.recordCleanup(id, { ...cleanup, detail: cleanup.detail && redact(cleanup.detail) });
    store.recordEvent(id, {
      at,
      level: cleanup.deleted ? 'info' : 'warn',
      message: cleanup.deleted
        ? `Cleanup finished ${seconds} s after the verdict: namespace ${cleanup.namespace ?? '(none)'} is gone.`
        : redact(
            `Cleanup ended ${seconds} s after the verdict: namespace ${cleanup.namespace ?? '(none)'} was not deleted: ${cleanup.detail ?? 'no detail'}`,
          ),
    });
  }
}
