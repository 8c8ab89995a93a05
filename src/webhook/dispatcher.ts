import { randomUUID } from 'node:crypto';
import type { AuditRunRow } from '../db/schema/index.js';
import type { NewWebhookAttempt } from '../db/store.js';
import { Background } from '../engine/service/background.js';
import type { RunObserver } from '../engine/service/runner.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { OutboundPolicy } from '../net/outbound-policy.js';
import { type PostOutcome, postOnce } from './post.js';
import { signatureHeader } from './signature.js';
import { type AttemptOutcome, AUDIT_FINISHED_EVENT, type CallbackState, WEBHOOK_HEADERS } from './vocabulary.js';

/** Bounds of one delivery: attempts, exponential back-off between them, and each attempt's deadline. */
export interface RetryPolicy {
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  /** Longest wait between attempts (also caps a receiver's Retry-After). */
  maxDelayMs: number;
  /** One attempt: connect, send, status line. */
  timeoutMs: number;
}

/** 5 attempts over about half a minute of back-off (2, 4, 8, 16 s), 10 s each at most. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2000, maxDelayMs: 60_000, timeoutMs: 10_000 };

/** What the dispatcher writes: attempts and the delivery state, on the run. */
export interface WebhookStore {
  recordWebhookAttempt(runId: string, attempt: NewWebhookAttempt): void;
  setCallbackState(runId: string, state: CallbackState): void;
}

export interface WebhookDeps {
  store: WebhookStore;
  outbound: OutboundPolicy;
  /** KUBEPROOF_CALLBACK_SECRETS: name → value. Values never leave this object except into an HMAC. */
  secrets: ReadonlyMap<string, string>;
  clock: Clock;
  logger: Logger;
  /** The run summary sent in the body (the API's own representation). */
  present(run: AuditRunRow): unknown;
  retry?: Partial<RetryPolicy>;
  newId?: () => string;
  /** Told the outcome of every attempt (the service's metrics). */
  onAttempt?: (outcome: AttemptOutcome) => void;
}

/** Receivers ask for a retry with these statuses; any other non-2xx is final. */
const RETRY_STATUSES = new Set([408, 429]);

/** A receiver's Retry-After (seconds or an HTTP date) in ms, if it gave a usable one. */
function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

interface Judged {
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  retryable: boolean;
  retryAfter: string | undefined;
}

function judge(result: PostOutcome): Judged {
  if (result.kind === 'refused')
    return { outcome: 'refused', statusCode: null, error: result.error, retryable: false, retryAfter: undefined };
  if (result.kind === 'unreachable')
    return { outcome: 'unreachable', statusCode: null, error: result.error, retryable: true, retryAfter: undefined };
  const { status } = result;
  if (status >= 200 && status < 300)
    return { outcome: 'delivered', statusCode: status, error: null, retryable: false, retryAfter: undefined };
  const redirect = status >= 300 && status < 400;
  return {
    outcome: 'rejected',
    statusCode: status,
    error: redirect
      ? `the receiver redirected${result.location ? ' elsewhere' : ''}: redirects are not followed`
      : null,
    retryable: status >= 500 || RETRY_STATUSES.has(status),
    retryAfter: result.retryAfter,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Delivers `audit.finished` to a run's callbackUrl once the run has its final status: a signed
 * JSON POST through the outbound policy, retried with exponential back-off on no answer, 5xx,
 * 408 and 429, every attempt recorded on the run. It is a RunObserver of the runner.
 */
export class WebhookDispatcher implements RunObserver {
  readonly #deps: WebhookDeps;
  readonly #retry: RetryPolicy;
  readonly #background = new Background();
  readonly #stop = new AbortController();

  constructor(deps: WebhookDeps) {
    this.#deps = deps;
    this.#retry = { ...DEFAULT_RETRY, ...deps.retry };
  }

  runFinished(run: AuditRunRow): void {
    if (!run.callbackUrl || this.#stop.signal.aborted) return;
    this.#background.run(() => this.#deliver(run));
  }

  /** Resolves once no delivery is in progress or waiting for its next attempt. */
  whenIdle(): Promise<void> {
    return this.#background.whenIdle();
  }

  /** Stops: a delivery in flight or waiting is abandoned (recorded so); resolves once all have stopped. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.whenIdle();
  }

  #delay(attempt: number, retryAfter: string | undefined): number {
    const { baseDelayMs, maxDelayMs } = this.#retry;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const asked = retryAfterMs(retryAfter, this.#deps.clock.now());
    return asked === undefined ? backoff : Math.max(backoff, Math.min(asked, maxDelayMs));
  }

  async #deliver(run: AuditRunRow): Promise<void> {
    const { store, clock, logger, outbound } = this.#deps;
    const url = new URL(run.callbackUrl as string);
    // Logs name the receiver by origin only: a path may carry a capability token.
    const where = { runId: run.id, target: url.origin };
    const record = (attempt: Omit<NewWebhookAttempt, 'at'> & { at?: Date }) => {
      store.recordWebhookAttempt(run.id, { at: clock.now(), ...attempt });
      this.#deps.onAttempt?.(attempt.outcome);
    };
    const secret = run.callbackSecret ? this.#deps.secrets.get(run.callbackSecret) : undefined;
    if (run.callbackSecret && secret === undefined) {
      record({
        attempt: 1,
        durationMs: 0,
        statusCode: null,
        outcome: 'refused',
        error: `the callback secret "${run.callbackSecret}" is no longer configured (KUBEPROOF_CALLBACK_SECRETS): nothing sent unsigned`,
        retryInMs: null,
      });
      store.setCallbackState(run.id, 'failed');
      logger.warn('webhook not sent: its secret is not configured', { ...where, secret: run.callbackSecret });
      return;
    }
    const deliveryId = (this.#deps.newId ?? randomUUID)();
    const body = JSON.stringify({ type: AUDIT_FINISHED_EVENT, deliveryId, audit: this.#deps.present(run) });
    for (let attempt = 1; ; attempt++) {
      const at = clock.now();
      const started = Date.now();
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': 'kubeproof-webhook',
        [WEBHOOK_HEADERS.event]: AUDIT_FINISHED_EVENT,
        [WEBHOOK_HEADERS.delivery]: deliveryId,
        [WEBHOOK_HEADERS.attempt]: String(attempt),
        ...(secret
          ? { [WEBHOOK_HEADERS.signature]: signatureHeader(secret, body, Math.floor(at.getTime() / 1000)) }
          : {}),
      };
      const result = await postOnce(url, body, headers, outbound, this.#retry.timeoutMs, this.#stop.signal);
      const judged = judge(result);
      const durationMs = Date.now() - started;
      if (this.#stop.signal.aborted && judged.outcome !== 'delivered') {
        record({
          at,
          attempt,
          durationMs,
          statusCode: null,
          outcome: 'abandoned',
          error: 'kubeproof stopped',
          retryInMs: null,
        });
        store.setCallbackState(run.id, 'abandoned');
        logger.warn('webhook abandoned: the service is stopping', { ...where, attempt });
        return;
      }
      const retryInMs =
        judged.retryable && attempt < this.#retry.maxAttempts ? this.#delay(attempt, judged.retryAfter) : null;
      record({
        at,
        attempt,
        durationMs,
        statusCode: judged.statusCode,
        outcome: judged.outcome,
        error: judged.error,
        retryInMs,
      });
      const fields = { ...where, attempt, outcome: judged.outcome, statusCode: judged.statusCode };
      if (judged.outcome === 'delivered') {
        store.setCallbackState(run.id, 'delivered');
        logger.info('webhook delivered', fields);
        return;
      }
      if (retryInMs === null) {
        store.setCallbackState(run.id, 'failed');
        logger.warn('webhook failed', { ...fields, error: judged.error });
        return;
      }
      logger.info('webhook attempt failed; retrying', { ...fields, error: judged.error, retryInMs });
      await sleep(retryInMs, this.#stop.signal);
      if (this.#stop.signal.aborted) {
        store.setCallbackState(run.id, 'abandoned');
        logger.warn('webhook abandoned: the service is stopping', { ...where, attempt });
        return;
      }
    }
  }
}
