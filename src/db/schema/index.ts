export * from './audit-events.js';
export * from './audit-runs.js';
export * from './check-results.js';
export * from './webhook-attempts.js';
