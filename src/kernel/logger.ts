/** What every component logs through (the JSON-lines implementation is `src/logger.ts`). */
export interface Logger {
  /** Detail for KUBEPROOF_LOG_LEVEL=debug; optional so that small test doubles need not have it. */
  debug?(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** KUBEPROOF_LOG_LEVEL values, quietest last; a logger writes its level and the ones after it. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
