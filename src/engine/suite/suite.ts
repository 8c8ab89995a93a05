import { setMaxListeners } from 'node:events';
import { catalogEntry, createCatalog } from '../../checks/catalog.js';
import { DEFAULT_GUIDE } from '../../checks/guide.js';
import { buildCheckSet } from '../../checks/index.js';
import { DEFAULT_TIMINGS, type SmokeTimings } from '../../checks/smoke/shared/timings.js';
import type { CheckDefinition, CheckOutcome } from '../../checks/types.js';
import type { Clock } from '../../kernel/clock.js';
import type { Guide } from '../../kernel/guide.js';
import type { Logger } from '../../kernel/logger.js';
import type { AuditEvent, CheckResult, CleanupOutcome } from '../../kernel/results.js';
import { cachedAccess } from '../../kube/cache/cached-access.js';
import type { ClusterAccess } from '../../kube/cluster-access.js';
import { type ApiRequestObserver, countingAccess } from '../../kube/counting-access.js';
import type { SanitizedKubeconfig } from '../../kube/kubeconfig/types.js';
import { redactingLogger, withFields } from '../../logger.js';
import { developerPolicy, type OutboundPolicy } from '../../net/outbound-policy.js';
import { namespaceFor, sharedNamespaceOf, workloadHandle } from '../../workload/names.js';
import { namespaceModeNeeds, sharedCleanupOf } from '../../workload/rbac.js';
import { DEFAULT_HEARTBEAT_LAPSE_MS } from '../../workload/sweep.js';
import { runSecrets } from '../run-secrets.js';
import type { SuiteExecutor, SuiteInput } from '../types.js';
import { type Decision, notRun, unsatisfied } from './decision.js';
import { PermissionStep } from './permission-step.js';
import { planChecks } from './planner.js';
import { planBudgetMs } from './run-budget.js';
import { needsRunNamespace, RunNamespaceStep, verdictWithoutNamespace } from './run-namespace.js';
import { runStep } from './step.js';

/** Progress events one check may write: enough for every wait of a slow cluster, bounded for a flapping one. */
const MAX_PROGRESS_EVENTS_PER_CHECK = 100;

export interface SuiteDeps {
  clock: Clock;
  logger: Logger;
  /** Component → references; defaults to the built-in guide (an operator's runbook replaces it). */
  guide?: Guide;
  /** Wait budgets; tests shrink them. */
  timings?: Partial<SmokeTimings>;
  /** How long cleanup waits for the namespace to be gone (default 60 s). */
  cleanupTimeoutMs?: number;
  /**
   * Expiry written on the namespace, for the sweep of crashed runs (default 2 h). Must outlast
   * the longest audit, or a concurrent audit of the same cluster would sweep a live namespace.
   */
  namespaceTtlMs?: number;
  /** How often a live run renews its namespace's heartbeat (default 20 s). */
  heartbeatMs?: number;
  /** How long a heartbeat may be silent before the sweep removes the namespace (default 90 s). */
  heartbeatLapseMs?: number;
  /** Builds cluster access from the credentials (default: the real one, dialling through `outbound`). */
  connect?: (credentials: SanitizedKubeconfig) => ClusterAccess;
  /** What the run may dial (default: developerPolicy(), loopback allowed; the server passes the configured one). */
  outbound?: OutboundPolicy;
  /** Told about every call made to the cluster (the service's request metrics). */
  onApiRequest?: ApiRequestObserver;
}

/** The catalog of every check the suite can run, for `GET /v1/checks`. */
export function suiteCatalog(deps: Pick<SuiteDeps, 'guide'> = {}) {
  return createCatalog(deps);
}

/**
 * The SuiteExecutor the runner calls: plans the selection, reviews the plan's permissions first
 * (the permission step), prepares the run's namespace before the first
 * check that needs it, runs the checks (concurrently once their
 * prerequisites are done; disruptive ones last, one at a time), reports each result as it ends,
 * and always deletes the run's namespace when it was created.
 * @example
 * const executor = createSuiteExecutor({ clock, logger });
 * const { cleanup } = await executor.execute({ runId, credentials, selection: ['smoke'], options, signal, ...callbacks });
 */
export function createSuiteExecutor(deps: SuiteDeps): SuiteExecutor {
  const guide = deps.guide ?? DEFAULT_GUIDE;
  const timings: SmokeTimings = { ...DEFAULT_TIMINGS, ...deps.timings };
  return {
    budgetMs(selection) {
      return planBudgetMs(planChecks(selection, buildCheckSet({ timings })));
    },
    async execute(input) {
      // Loaded on the first audit, not at start-up: @kubernetes/client-node is the heaviest module
      // (about 0.4 s and 60 MB), and a service that only serves reports never needs it.
      const connected = deps.connect
        ? deps.connect(input.credentials)
        : (await import('../../kube/cluster/index.js')).createClusterAccess(
            input.credentials,
            deps.outbound ?? developerPolicy(),
          );
      const counted = deps.onApiRequest ? countingAccess(connected, deps.onApiRequest) : connected;
      // The run's shared cache (src/kube/cache) above the counting: the metrics count what reaches the server.
      let execution: AuditExecution | undefined;
      const cluster = cachedAccess(counted, {
        namespace: sharedNamespaceOf(input.options) ? undefined : namespaceFor(input.runId),
        mayFollow: (kind) => execution?.mayWatch(kind) ?? false,
      });
      try {
        execution = new AuditExecution(deps, guide, timings, input, cluster);
        return await execution.run();
      } finally {
        cluster.close();
      }
    },
  };
}

class AuditExecution {
  private readonly outcomes = new Map<string, CheckOutcome>();
  private readonly statuses = new Map<string, CheckResult['status']>();
  private readonly workload;
  private readonly namespace: RunNamespaceStep;
  private readonly permissions: PermissionStep;
  private readonly checks: CheckDefinition[];
  /** What checks log through: the run's credentials are masked. */
  private readonly log: Logger;
  /** The run's signal, relayed so that our many concurrent listeners stay on our own object. */
  private readonly signal: AbortSignal;

  constructor(
    private readonly deps: SuiteDeps,
    private readonly guide: Guide,
    timings: SmokeTimings,
    private readonly input: SuiteInput,
    private readonly cluster: ClusterAccess,
  ) {
    const relay = new AbortController();
    setMaxListeners(0, relay.signal);
    if (input.signal.aborted) relay.abort(input.signal.reason);
    else input.signal.addEventListener('abort', () => relay.abort(input.signal.reason), { once: true });
    this.signal = relay.signal;
    this.log = redactingLogger(
      withFields(deps.logger, { runId: input.runId }),
      runSecrets(input.credentials, input.options),
    );
    this.workload = workloadHandle(input.runId, input.options.replicas, sharedNamespaceOf(input.options));
    const expiresAt = new Date(deps.clock.now().getTime() + (deps.namespaceTtlMs ?? 2 * 3600_000));
    let planned: readonly CheckDefinition[] = [];
    this.permissions = new PermissionStep({
      planned: () => planned,
      runNamespace: this.workload.namespace,
      identified: (serverVersion) =>
        input.onClusterIdentity({
          server: input.credentials.server,
          clusterName: input.credentials.clusterName,
          contextName: input.credentials.contextName,
          ...(serverVersion ? { serverVersion } : {}),
        }),
      // The sweep of expired namespaces overlaps with the permission review when the plan needs one.
      usable: () => {
        if (this.checks.some(needsRunNamespace)) this.namespace.sweepEarly();
      },
    });
    const all = buildCheckSet({ timings, review: this.permissions });
    planned = planChecks(input.selection, all);
    // In an operator's namespace the checks need other grants (no namespace lifecycle, cleanup by
    // label): the permission review checks those, and steps judge a denial by them.
    if (this.workload.sharedNamespace) planned = planned.map((c) => ({ ...c, rbac: namespaceModeNeeds(c.rbac) }));
    this.checks = [...planned];
    this.namespace = new RunNamespaceStep({
      cluster,
      workload: this.workload,
      runId: input.runId,
      options: input.options,
      expiresAt,
      signal: this.signal,
      clock: deps.clock,
      cleanupTimeoutMs: deps.cleanupTimeoutMs ?? 60_000,
      heartbeatMs: deps.heartbeatMs ?? 20_000,
      heartbeatLapseMs: deps.heartbeatLapseMs ?? DEFAULT_HEARTBEAT_LAPSE_MS,
      sharedCleanup: sharedCleanupOf(planned.flatMap((c) => c.rbac)),
      event: (level, message) => this.event(level, message),
    });
    this.workload.restartProbe = { wanted: planned.some((c) => c.id === 'kubelet.restart') };
  }

  async run(): Promise<{ cleanup: CleanupOutcome }> {
    // Leftovers of dead runs go first, in every audit of this cluster.
    this.namespace.sweepEarly();
    try {
      await this.schedule();
    } catch (err) {
      this.event('error', `scheduling failed: ${(err as Error).message}`);
    }
    // Whatever happened above (passed, failed, cancelled, deadline): the namespace goes. The
    // verdict does not wait for it to be gone (seconds on a real cluster: every pod's grace).
    const cleanup = this.namespace.cleanup();
    if (!this.signal.aborted) this.input.onVerdict?.();
    return { cleanup: await cleanup };
  }

  /** Whether a planned check the permission step lets run lists and watches `kind` in the run's namespace. */
  mayWatch(kind: string): boolean {
    return this.checks.some(
      (c) =>
        c.rbac.some((n) => n.resource === kind && n.verb === 'watch' && n.scope === 'run') &&
        !this.statuses.has(c.id) &&
        this.permissions.verdictFor(c) === undefined,
    );
  }

  /** A check's progress callback: each new text becomes one event; repeats and floods are dropped. */
  private progressOf(checkId: string): (message: string) => void {
    let last = '';
    let count = 0;
    return (message) => {
      const text = message.trim().slice(0, 300);
      if (text === '' || text === last || count >= MAX_PROGRESS_EVENTS_PER_CHECK || this.signal.aborted) return;
      last = text;
      count++;
      this.event('info', text, checkId);
    };
  }

  private event(level: AuditEvent['level'], message: string, checkId?: string) {
    const event: AuditEvent = { at: this.deps.clock.now(), level, message };
    if (checkId) event.checkId = checkId;
    this.input.onEvent(event);
  }

  /** Starts every check whose turn has come; waits for one to finish; repeats. */
  private async schedule(): Promise<void> {
    const running = new Map<string, Promise<void>>();
    const done = (id: string) => this.statuses.has(id);
    while (this.checks.some((c) => !done(c.id))) {
      let startedAny = false;
      for (const def of this.checks) {
        if (done(def.id) || running.has(def.id) || !this.mayStart(def, running)) continue;
        startedAny = true;
        const immediate = this.decideWithoutRunning(def);
        if (immediate) {
          this.finish(def, immediate.outcome, this.deps.clock.now(), immediate.status, immediate.blockedBy);
          continue;
        }
        running.set(
          def.id,
          this.execute(def).finally(() => running.delete(def.id)),
        );
        // Disruptive checks go one at a time: start nothing else in this pass.
        if (takesTurns(def)) break;
      }
      if (running.size > 0) await Promise.race(running.values());
      else if (!startedAny)
        throw new Error(
          `scheduling stalled with ${this.checks
            .filter((c) => !done(c.id))
            .map((c) => c.id)
            .join(', ')} pending`,
        );
    }
  }

  private mayStart(def: CheckDefinition, running: Map<string, Promise<void>>): boolean {
    const inPlan = (id: string) => this.checks.some((c) => c.id === id);
    const waitFor = [...def.prerequisites, ...(def.after ?? []).filter(inPlan)];
    if (!waitFor.every((id) => this.statuses.has(id))) return false;
    if (!takesTurns(def)) return true;
    // An isolated disruptive check still running holds nobody up: it touches nothing they use.
    const nonDisruptivePending = this.checks.some((c) => !c.disruptive && !this.statuses.has(c.id));
    const disruptiveRunning = [...running.keys()].some((id) => {
      const running = this.checks.find((c) => c.id === id);
      return running !== undefined && takesTurns(running);
    });
    return !nonDisruptivePending && !disruptiveRunning;
  }

  /**
   * Cancellation, the permission step's verdict and unmet prerequisites are decided without
   * touching the cluster.
   */
  private decideWithoutRunning(def: CheckDefinition): Decision | undefined {
    if (this.signal.aborted) return notRun();
    return this.permissions.verdictFor(def) ?? unsatisfied(def, (id) => this.satisfied(id));
  }

  /** A prerequisite lets its dependents run when it passed, or when the permission step says so. */
  private satisfied(id: string): boolean {
    return this.statuses.get(id) === 'passed' || this.permissions.unblocks(id);
  }

  private async execute(def: CheckDefinition): Promise<void> {
    const startedAt = this.deps.clock.now();
    this.input.onCheckStarted(def.id, startedAt);
    const outcome = await runStep(
      needsRunNamespace(def) ? this.inRunNamespace(def) : def,
      {
        cluster: this.cluster,
        workload: def.needsWorkload ? this.workload : undefined,
        options: this.input.options,
        clock: this.deps.clock,
        log: this.log,
        progress: this.progressOf(def.id),
        results: this.outcomes,
      },
      this.signal,
    );
    this.finish(def, outcome, startedAt, outcome.status);
  }

  /**
   * The check, run once the run's namespace is prepared: the first such check to start sets the
   * step off (bounded by the run's signal), every one waits for it within its own deadline. A
   * refused namespace decides the verdict without running the check; "could not tell" errors
   * reach runStep, which makes them `error`.
   */
  private inRunNamespace(def: CheckDefinition): CheckDefinition {
    return {
      ...def,
      run: async (ctx) => {
        const prepared = await this.namespace.prepare(ctx.signal);
        return verdictWithoutNamespace(def, prepared) ?? def.run({ ...ctx, namespace: prepared.namespace });
      },
    };
  }

  private finish(
    def: CheckDefinition,
    outcome: CheckOutcome,
    startedAt: Date,
    status: CheckResult['status'],
    blockedBy?: string[],
  ) {
    const finishedAt = this.deps.clock.now();
    this.outcomes.set(def.id, outcome);
    this.statuses.set(def.id, status);
    const result: CheckResult = {
      id: def.id,
      title: def.title,
      group: def.group,
      component: def.component,
      references: catalogEntry(def, this.guide).references,
      status,
      startedAt,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      summary: outcome.summary,
      evidence: outcome.evidence,
      warnings: [...(outcome.warnings ?? [])],
    };
    if (status !== 'passed' && outcome.hint) result.hint = outcome.hint;
    if (outcome.status === 'error') result.cause = outcome.cause;
    if (outcome.status === 'skipped') result.reason = outcome.reason;
    if (blockedBy?.length) result.blockedBy = blockedBy;
    this.input.onCheckFinished(result);
  }
}

/** Disruptive checks wait for the rest and go one at a time, unless what they disrupt is their own (isolated). */
const takesTurns = (def: CheckDefinition) => def.disruptive && !def.isolated;
