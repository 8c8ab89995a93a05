/** Where a run's callback delivery stands (one list: the column, the API schema and the dispatcher read it). */
export const CALLBACK_STATES = ['pending', 'delivered', 'failed', 'abandoned'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

/**
 * What one delivery attempt met: `delivered` (a 2xx), `rejected` (another status), `unreachable`
 * (no answer: connection error or timeout), `refused` (the outbound policy refused the address
 * at dial time), `abandoned` (the service stopped).
 */
export const ATTEMPT_OUTCOMES = ['delivered', 'rejected', 'unreachable', 'refused', 'abandoned'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Header names a receiver reads (documented in README, "Webhooks"). */
export const WEBHOOK_HEADERS = {
  signature: 'X-Kubeproof-Signature',
  event: 'X-Kubeproof-Event',
  delivery: 'X-Kubeproof-Delivery',
  attempt: 'X-Kubeproof-Attempt',
} as const;

/** The one event sent today. */
export const AUDIT_FINISHED_EVENT = 'audit.finished';

/** How old a signature's timestamp a receiver should still accept (README tells receivers). */
export const REPLAY_WINDOW_SECONDS = 300;
